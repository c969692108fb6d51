package dev.relup.operator.observe;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.relup.operator.Labels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Cookies read once per Secret and kept. Not a Secret informer on purpose: an informer needs list and watch on
 * Secrets, i.e. every Secret of the watched namespaces in the operator's memory and RBAC; a GET by name of the one
 * Secret the release uses needs neither. The operator never rotates a cookie; a cookie a node refuses is read again.
 */
public final class CookieCache {

    private final KubernetesClient client;
    private final Map<String, char[]> cookies = new ConcurrentHashMap<>();

    public CookieCache(KubernetesClient client) {
        this.client = client;
    }

    public Optional<char[]> cookie(String namespace, String secretName) {
        String key = namespace + "/" + secretName;
        char[] known = cookies.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<char[]> read = read(client.secrets().inNamespace(namespace).withName(secretName).get());
        read.ifPresent(c -> cookies.put(key, c));
        return read;
    }

    public void forget(String namespace, String secretName) {
        cookies.remove(namespace + "/" + secretName);
    }

    static Optional<char[]> read(Secret s) {
        if (s == null) {
            return Optional.empty();
        }
        Map<String, String> data = s.getData();
        if (data != null && data.get(Labels.COOKIE_KEY) != null) {
            return Optional.of(new String(Base64.getDecoder().decode(data.get(Labels.COOKIE_KEY)), StandardCharsets.UTF_8)
                    .strip().toCharArray());
        }
        if (s.getStringData() != null && s.getStringData().get(Labels.COOKIE_KEY) != null) {
            return Optional.of(s.getStringData().get(Labels.COOKIE_KEY).toCharArray());
        }
        return Optional.empty();
    }
}
