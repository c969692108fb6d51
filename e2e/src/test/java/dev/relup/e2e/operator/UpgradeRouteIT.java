package dev.relup.e2e.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.relup.e2e.cluster.ClusterProvider;
import dev.relup.e2e.cluster.KubernetesE2e;
import dev.relup.e2e.cluster.TestNamespace;
import dev.relup.e2e.release.Erel;
import dev.relup.e2e.release.Images;
import dev.relup.e2e.release.Ticker;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The seed's 0.1.0 -> 0.3.0 jump, declared in one edit: ticker 0.3.0 ships an appup that only knows 0.2.0. With no
 * image known for 0.2.0 and strategy Hot the move stops (NoHotPath) touching nothing; with 0.2.0 in
 * spec.upgradePath the operator plans the route, shows it while paused, and walks it hop by hop, each hop hot: the
 * same BEAMs and ticker_server processes end on 0.3.0, their counters continued.
 */
@KubernetesE2e
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpgradeRouteIT {

    static final String NAME = "ticker";
    static final int REPLICAS = 2;

    static OperatorProcess operator;
    static KubernetesClient client;
    static String ns;
    static String cookie;
    static Map<String, Ticker.Snapshot> start;

    @BeforeAll
    static void setUp(KubernetesClient c, TestNamespace namespace, ClusterProvider cluster) throws Exception {
        client = c;
        ns = namespace.name();
        Images.ensure(cluster, List.of("ticker:0.1.0", "ticker:0.2.0", "ticker:0.3.0", "relup-tools:dev"));
        Erel.installCrd(client);
        operator = new OperatorProcess(ns, namespace.logDir(), Map.of());
        operator.start();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("release", "ticker");
        spec.put("version", "0.1.0");
        spec.put("image", "ticker:0.1.0");
        spec.put("replicas", REPLICAS);
        spec.put("strategy", "Hot");
        Erel.create(client, ns, NAME, spec);
        await("Ready on 0.1.0").until(() -> Erel.readyOn(erel(), "0.1.0", REPLICAS));
        cookie = Ticker.cookie(client, ns, NAME + "-cookie");
        start = Ticker.snapshot(client, ns, cookie);
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

    /** Same pods, same BEAMs, same ticker_server processes, counters continued, on {@code version}. */
    static void assertInPlaceOn(String version) throws Exception {
        Ticker.assertInPlace(start, Ticker.snapshot(client, ns, cookie), version);
    }

    @Test
    @Order(1)
    void withNoImageKnownForTheMissingHopHotStopsTouchingNothing() throws Exception {
        Erel.patchSpec(client, ns, NAME, Map.of("version", "0.3.0", "image", "ticker:0.3.0"));
        await("Degraded NoHotPath").until(() -> "NoHotPath".equals(Erel.condition(erel(), "Degraded", "reason")));
        String why = Erel.condition(erel(), "Degraded", "message");
        System.out.println("[e2e] NoHotPath: " + why);
        assertTrue(why.contains("only from 0.2.0") && why.contains("spec.upgradePath"), why);
        assertInPlaceOn("0.1.0");
        for (Ticker.Snapshot s : Ticker.snapshot(client, ns, cookie).values()) {
            assertTrue(s.releases().stream().noneMatch(r -> r.version().equals("0.3.0")), s.pod() + " got nothing");
        }
    }

    @Test
    @Order(2)
    void throughAVersionListedInUpgradePathEachHopIsHot() throws Exception {
        Set<String> eventsBefore = Erel.eventNames(client, ns, NAME);
        Erel.patchSpec(client, ns, NAME, Map.of("paused", true,
                "upgradePath", List.of(Map.of("version", "0.2.0", "image", "ticker:0.2.0"))));
        await("paused with the route").until(() -> "Paused".equals(erel().path("status").path("phase").asText())
                && erel().path("status").path("plan").path("route").size() == 3);
        JsonNode plan = erel().path("status").path("plan");
        System.out.println("[e2e] the route while paused: " + plan.path("route") + "; " + plan.path("routeReason").asText()
                + "; hops " + plan.path("hops"));
        assertEquals("[\"0.1.0\",\"0.2.0\",\"0.3.0\"]", plan.path("route").toString());
        assertInPlaceOn("0.1.0"); // the plan comes before any pod moves

        Erel.patchSpec(client, ns, NAME, Map.of("paused", false));
        await("Ready on 0.3.0").atMost(Duration.ofMinutes(6)).until(() -> Erel.readyOn(erel(), "0.3.0", REPLICAS));
        assertInPlaceOn("0.3.0");
        JsonNode history = erel().path("status").path("history");
        JsonNode hop1 = history.get(history.size() - 2);
        JsonNode hop2 = history.get(history.size() - 1);
        System.out.println("[e2e] history: " + hop1 + " " + hop2);
        assertEquals(List.of("0.1.0", "0.2.0", "Hot", "Succeeded"), List.of(hop1.path("from").asText(),
                hop1.path("to").asText(), hop1.path("method").asText(), hop1.path("result").asText()));
        assertEquals(List.of("0.2.0", "0.3.0", "Hot", "Succeeded"), List.of(hop2.path("from").asText(),
                hop2.path("to").asText(), hop2.path("method").asText(), hop2.path("result").asText()));
        assertEquals(1, Erel.occurrences(client, ns, NAME, eventsBefore, "HopSucceeded", ""));
        assertEquals(1, Erel.occurrences(client, ns, NAME, eventsBefore, "UpgradeSucceeded", ""));
        assertEquals(0, Erel.occurrences(client, ns, NAME, eventsBefore, "PodRestarted", ""));
    }
}
