package dev.relup.e2e.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
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

    static Map<String, Object> with(String key, Object value, String key2, Object value2) {
        Map<String, Object> s = with(key, value);
        s.put(key2, value2);
        return s;
    }

    /** A bad spec, stored (if it were) as bad-{@code name}. */
    static Arguments bad(String name, Map<String, Object> spec, String expected) {
        return Arguments.of(name, spec, expected, "bad-" + name);
    }

    /** A good spec under a bad object name. */
    static Arguments badName(String name, String objectName, String expected) {
        return Arguments.of(name, valid(), expected, objectName);
    }

    static final String NAME_RULE = "metadata.name must be at most 52 characters of lowercase letters, digits and '-'";
    static final String DIR_RULE = "releaseDir must be an absolute path of letters, digits";
    static final String DIST_RULE = "pod.ports must not declare the distribution port";

    static java.util.stream.Stream<Arguments> badSpecs() {
        return java.util.stream.Stream.of(
                bad("latest-tag", with("image", "ticker:latest"), "image must carry an explicit tag other than :latest"),
                bad("untagged", with("image", "ticker"), "image must carry an explicit tag"),
                bad("short-digest", with("image", "ticker@sha256:abc"), "image must carry an explicit tag"),
                bad("zero-replicas", with("replicas", 0), "replicas"),
                bad("too-many-replicas", with("replicas", 1001), "spec.replicas"),
                bad("bad-version", with("version", "../0.1"), "version must be a release version"),
                bad("version-trailing-dash", with("version", "0.1.0-"), "starting and ending with a letter or digit"),
                bad("version-slash", with("version", "0.1/x"), "version must be a release version"),
                bad("version-too-long", with("version", "1." + "0".repeat(62)), "spec.version: Too long"),
                bad("bad-release", with("release", "Ticker-App"), "release must be the Erlang release name"),
                bad("release-trailing-underscore", with("release", "ticker_"), "not ending in _"),
                bad("release-too-long", with("release", "t".repeat(64)), "spec.release: Too long"),
                bad("no-version", with("version", null), "version"),
                bad("bad-strategy", with("strategy", "Sometimes"), "strategy"),
                bad("relative-dir", with("releaseDir", "opt/release"), "releaseDir must be an absolute path"),
                bad("dir-trailing-slash", with("releaseDir", "/opt/release/"), DIR_RULE),
                bad("dir-dotdot", with("releaseDir", "/opt/../etc"), "releaseDir must not contain a '.' or '..' segment"),
                bad("dir-dot", with("releaseDir", "/opt/./release"), "releaseDir must not contain a '.' or '..' segment"),
                bad("dir-space", with("releaseDir", "/opt/my release"), DIR_RULE),
                bad("dir-semicolon", with("releaseDir", "/opt/release;reboot"), DIR_RULE),
                bad("dir-substitution", with("releaseDir", "/opt/$(id)"), DIR_RULE),
                bad("batch-over-replicas", with("batchSize", 3), "batchSize must not exceed replicas"),
                bad("zero-batch", with("batchSize", 0), "spec.batchSize"),
                bad("bad-cookie-secret", with("cookieSecret", "My_Secret"), "cookieSecret must be the name of a Secret"),
                bad("bad-service-account", with("pod", Map.of("serviceAccountName", "Ticker SA")),
                        "pod.serviceAccountName must be the name of a ServiceAccount"),
                bad("dist-port-epmd", with("pod", Map.of("distributionPort", 4369)), "pod.distributionPort must not be 4369"),
                bad("dist-port-privileged", with("pod", Map.of("distributionPort", 80)), "spec.pod.distributionPort"),
                bad("dist-port-too-high", with("pod", Map.of("distributionPort", 65536)), "spec.pod.distributionPort"),
                bad("app-port-on-dist", with("pod", Map.of("ports", List.of(Map.of("name", "app", "containerPort", 9100)))),
                        DIST_RULE),
                bad("app-port-on-own-dist", with("pod", Map.of("distributionPort", 9200,
                        "ports", List.of(Map.of("name", "app", "containerPort", 9200, "protocol", "TCP")))), DIST_RULE),
                bad("bad-purge-mode", with("purge", Map.of("mode", "gentle")), "spec.purge.mode"),
                bad("bad-health-module", with("healthCheck", Map.of("module", "Mod", "function", "health")),
                        "module must be an Erlang module name"),
                bad("bad-health-args", with("healthCheck", Map.of("module", "m", "function", "f", "args", "5000")),
                        "args must be an Erlang list"),
                bad("soak-too-long", with("canary", Map.of("soakSeconds", 86401)), "spec.canary.soakSeconds"),
                badName("name-too-long", "bad-" + "x".repeat(49), NAME_RULE),
                badName("name-with-dot", "bad-tick.er", NAME_RULE),
                badName("name-digit-first", "1-bad-ticker", NAME_RULE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void theApiServerRefusesABadSpecWithAMessageSayingWhatToFix(String name, Map<String, Object> spec, String expected,
            String objectName) {
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> Erel.create(client, ns, objectName, spec));
        assertEquals(422, e.getCode(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "message should contain '" + expected + "': " + e.getMessage());
        assertNull(Erel.get(client, ns, objectName), "nothing is stored");
    }

    @Test
    void atLeastTwentyKindsOfBadSpecAreCovered() {
        assertTrue(badSpecs().count() >= 20);
    }

    /** The API server fills in 9100; a UDP port on it, or an application on 9100 once dist moved, is no collision. */
    @Test
    void theDistributionPortIsDefaultedAndTheApplicationMayTakeEveryOtherPort() throws Exception {
        Erel.create(client, ns, "dist-default", with("pod",
                Map.of("ports", List.of(Map.of("name", "stats", "containerPort", 9100, "protocol", "UDP")))));
        assertEquals(9100, Erel.get(client, ns, "dist-default").path("spec").path("pod").path("distributionPort").asInt());
        Erel.create(client, ns, "dist-moved", with("pod",
                Map.of("distributionPort", 9200, "ports", List.of(Map.of("name", "app", "containerPort", 9100)))));
        assertEquals(9200, Erel.get(client, ns, "dist-moved").path("spec").path("pod").path("distributionPort").asInt());
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
