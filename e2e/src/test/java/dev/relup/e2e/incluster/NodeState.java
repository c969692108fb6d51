package dev.relup.e2e.incluster;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;

import dev.relup.e2e.cluster.ErlangNodes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * One ticker pod and its Erlang node at one moment, read from outside (pod status + release_handler over Erlang
 * distribution by pod IP). The same checks as dev.relup.e2e.operator.Ticker, kept apart so the two packages move
 * independently.
 */
record NodeState(String pod, String uid, int restarts, String node, String serverPid, List<ErlangNodes.Release> releases) {

    String permanentVersion() {
        return releases.stream().filter(r -> r.status().equals("permanent")).map(ErlangNodes.Release::version)
                .findFirst().orElse(null);
    }

    String runningVersion() {
        return releases.stream().filter(r -> r.status().equals("current")).map(ErlangNodes.Release::version)
                .findFirst().orElse(permanentVersion());
    }

    static String cookie(KubernetesClient client, String ns, String secret) {
        String b64 = client.secrets().inNamespace(ns).withName(secret).get().getData().get("cookie");
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8).strip();
    }

    /** Every erlang-node pod of the namespace, by name. */
    static Map<String, NodeState> snapshot(KubernetesClient client, String ns, String cookie) throws Exception {
        Map<String, NodeState> out = new LinkedHashMap<>();
        List<Pod> pods = client.pods().inNamespace(ns).withLabel("app.kubernetes.io/component", "erlang-node").list().getItems();
        pods.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        for (Pod p : pods) {
            String node = "ticker@" + p.getStatus().getPodIP();
            OtpErlangObject info = ErlangNodes.rpc(node, cookie, 10_000, "ticker_server", "info");
            String pid = String.valueOf(((OtpErlangMap) info).get(new OtpErlangAtom("pid")));
            int restarts = p.getStatus().getContainerStatuses().get(0).getRestartCount();
            out.put(p.getMetadata().getName(), new NodeState(p.getMetadata().getName(), p.getMetadata().getUid(), restarts, node,
                    pid, ErlangNodes.whichReleases(node, cookie)));
        }
        return out;
    }
}
