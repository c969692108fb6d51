package dev.relup.e2e.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.relup.e2e.cluster.ClusterProvider;
import dev.relup.e2e.cluster.KubernetesE2e;
import dev.relup.e2e.cluster.TestNamespace;
import dev.relup.e2e.load.TallyLoad;
import dev.relup.e2e.release.Erel;
import dev.relup.e2e.release.Images;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The promise of a hot move, checked from the clients' side: the tally sample (a TCP service, one process per
 * connection holding a running sum and a count) moves 0.1.0 -> 0.2.0 -> 0.1.0 while persistent connections send
 * requests; every reply is checked against the state of its own connection.
 */
@KubernetesE2e
class TallyUnderLoadIT {

    static final String NAME = "tally";
    static final int REPLICAS = 3;

    static OperatorProcess operator;
    static String ns;
    static KubernetesClient client;
    static ClusterProvider cluster;

    @BeforeAll
    static void setUp(KubernetesClient c, TestNamespace namespace, ClusterProvider cluster) throws Exception {
        client = c;
        ns = namespace.name();
        TallyUnderLoadIT.cluster = cluster;
        Images.ensure(cluster, List.of("tally:0.1.0", "tally:0.2.0", "relup-tools:dev"));
        Erel.installCrd(client);
        operator = new OperatorProcess(ns, namespace.logDir(), Map.of());
        operator.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (operator != null) {
            operator.close();
        }
    }

    static ConditionFactory await(String what) {
        return Awaitility.await(what).atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).ignoreExceptions();
    }

    static JsonNode erel() {
        return Erel.get(client, ns, NAME);
    }

    static Map<String, String> podUids() {
        Map<String, String> uids = new LinkedHashMap<>();
        for (Pod p : client.pods().inNamespace(ns).withLabel("app.kubernetes.io/component", "erlang-node").list().getItems()) {
            uids.put(p.getMetadata().getName(), p.getMetadata().getUid() + "/"
                    + p.getStatus().getContainerStatuses().get(0).getRestartCount());
        }
        return uids;
    }

    @Test
    void connectionsAndTheirStateSurviveAHotUpgradeAndDowngradeUnderLoad() throws Exception {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("release", "tally");
        spec.put("version", "0.1.0");
        spec.put("image", "tally:0.1.0");
        spec.put("replicas", REPLICAS);
        spec.put("strategy", "Hot");
        spec.put("batchSize", 2);
        Erel.create(client, ns, NAME, spec);
        await("Ready on 0.1.0").until(() -> Erel.readyOn(erel(), "0.1.0", REPLICAS));
        Map<String, String> before = podUids();
        List<InetSocketAddress> targets = client.pods().inNamespace(ns)
                .withLabel("app.kubernetes.io/component", "erlang-node").list().getItems().stream()
                .map(p -> new InetSocketAddress(p.getStatus().getPodIP(), 7070)).toList();

        TallyLoad.Figures f;
        try (TallyLoad load = TallyLoad.start(targets, cluster.podRoutes(), 4, Duration.ofMillis(50))) {
            Thread.sleep(3_000);
            Erel.patchSpec(client, ns, NAME, Map.of("version", "0.2.0", "image", "tally:0.2.0"));
            await("Ready on 0.2.0").until(() -> Erel.readyOn(erel(), "0.2.0", REPLICAS));
            Thread.sleep(3_000);
            Erel.patchSpec(client, ns, NAME, Map.of("version", "0.1.0", "image", "tally:0.1.0"));
            await("Ready on 0.1.0 again").until(() -> Erel.readyOn(erel(), "0.1.0", REPLICAS));
            Thread.sleep(3_000);
            f = load.stop();
        }
        System.out.println("[e2e] tally under load through 0.1.0 -> 0.2.0 -> 0.1.0: " + f.summary());
        f.errors().forEach(e -> System.out.println("[e2e]   " + e));
        assertEquals(REPLICAS * 4, f.connections());
        assertEquals(0, f.dropped(), "dropped connections: " + f.errors());
        assertEquals(0, f.failed(), "replies that do not carry the connection's state: " + f.errors());
        assertTrue(f.requests() > REPLICAS * 4 * 100, "requests sent: " + f.requests());
        for (List<String> seen : f.versions()) {
            assertEquals(List.of("0.1.0", "0.2.0", "0.1.0"), seen,
                    "each connection, opened on 0.1.0, was answered by 0.2.0 after the upgrade and by 0.1.0 after the downgrade");
        }
        assertEquals(before, podUids(), "same pods, no container restart");
        for (JsonNode h : erel().path("status").path("history")) {
            assertEquals("Hot", h.path("method").asText(), h.toString());
            assertEquals("Succeeded", h.path("result").asText(), h.toString());
        }
    }
}
