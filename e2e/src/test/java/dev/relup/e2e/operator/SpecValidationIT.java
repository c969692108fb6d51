package dev.relup.e2e.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import dev.relup.e2e.cluster.KubernetesE2e;
import dev.relup.e2e.cluster.TestNamespace;
import dev.relup.e2e.release.Erel;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Bad specs are refused by the real API server (OpenAPI schema and CEL rules of the generated CRD), with a message
 * that says what to fix, before any controller sees them. No operator runs here: the refusal is the API server's.
 */
@KubernetesE2e
class SpecValidationIT {

    static KubernetesClient client;
    static String ns;

    @BeforeAll
    static void setUp(KubernetesClient c, TestNamespace namespace) throws Exception {
        client = c;
        ns = namespace.name();
        Erel.installCrd(client);
    }

    static Map<String, Object> valid() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("release", "ticker");
        s.put("version", "0.1.0");
        s.put("image", "ticker:0.1.0");
        s.put("replicas", 2);
        return s;
    }

    static Map<String, Object> with(String key, Object value) {
        Map<String, Object> s = valid();
        if (value == null) {
            s.remove(key);
        } else {
            s.put(key, value);
        }
        return s;
    }

    static java.util.stream.Stream<Arguments> badSpecs() {
        return java.util.stream.Stream.of(
                Arguments.of("latest-tag", with("image", "ticker:latest"), "image must carry an explicit tag other than :latest"),
                Arguments.of("untagged", with("image", "ticker"), "image must carry an explicit tag"),
                Arguments.of("zero-replicas", with("replicas", 0), "replicas"),
                Arguments.of("bad-version", with("version", "../0.1"), "version must be a release version"),
                Arguments.of("bad-release", with("release", "Ticker-App"), "release must be the Erlang release name"),
                Arguments.of("no-version", with("version", null), "version"),
                Arguments.of("bad-strategy", with("strategy", "Sometimes"), "strategy"),
                Arguments.of("relative-dir", with("releaseDir", "opt/release"), "releaseDir must be an absolute path"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void theApiServerRefusesABadSpecWithAMessageSayingWhatToFix(String name, Map<String, Object> spec, String expected) {
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> Erel.create(client, ns, "bad-" + name, spec));
        assertEquals(422, e.getCode(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "message should contain '" + expected + "': " + e.getMessage());
        assertNull(Erel.get(client, ns, "bad-" + name), "nothing is stored");
    }

    @Test
    void aGoodSpecIsAcceptedAndItsReleaseNameCannotChange() throws Exception {
        Erel.create(client, ns, "good", valid());
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> Erel.patchSpec(client, ns, "good", Map.of("release", "other")));
        assertEquals(422, e.getCode(), e.getMessage());
        assertTrue(e.getMessage().contains("release (the release name) cannot change"), e.getMessage());
        assertEquals("ticker", Erel.get(client, ns, "good").path("spec").path("release").asText());
    }
}
