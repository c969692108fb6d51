package dev.relup.e2e.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
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
import dev.relup.e2e.cluster.ErlangNodes;
import dev.relup.e2e.cluster.KubernetesE2e;
import dev.relup.e2e.cluster.TestNamespace;
import dev.relup.e2e.release.Erel;
import dev.relup.e2e.release.Images;
import dev.relup.e2e.release.InstallProbe;
import dev.relup.e2e.release.Ticker;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Moves that are checked and rolled back, on one ticker release of 3 pods with the health check
 * {@code ticker_server:health()}: 0.2.0's passes, 0.8.0's fails (it upgrades cleanly, then calls itself unhealthy).
 * In order: a soaked canary and a passing check (0.1.0 -> 0.2.0), a live configuration change (spec.config), an
 * automatic rollback (-> 0.8.0), and Manual.
 */
@KubernetesE2e
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SafeMovesIT {

    static final String NAME = "ticker";
    static final int REPLICAS = 3;

    static OperatorProcess operator;
    static String ns;
    static KubernetesClient client;
    static String cookie;

    @BeforeAll
    static void setUp(KubernetesClient c, TestNamespace namespace, ClusterProvider cluster) throws Exception {
        client = c;
        ns = namespace.name();
        Images.ensure(cluster, List.of("ticker:0.1.0", "ticker:0.2.0", "ticker:0.8.0", "relup-tools:dev"));
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

    /** Events of this release not in {@code before}, by reason, oldest first. */
    static List<Event> events(Set<String> before, String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> !before.contains(e.getMetadata().getName()) && reason.equals(e.getReason()))
                .sorted(Erel.OLDEST_FIRST).toList();
    }

    @Test
    @Order(1)
    void aPausedMoveWaitsWithItsPlanThenASoakedCanaryAndPassingChecksLetItSucceed() throws Exception {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("release", "ticker");
        spec.put("version", "0.1.0");
        spec.put("image", "ticker:0.1.0");
        spec.put("replicas", REPLICAS);
        spec.put("strategy", "Hot");
        spec.put("healthCheck", Map.of("module", "ticker_server", "function", "health", "timeoutSeconds", 5));
        spec.put("canary", Map.of("soakSeconds", 20));
        spec.put("paused", true);
        Erel.create(client, ns, NAME, spec);
        await("Ready on 0.1.0").until(() -> Erel.readyOn(erel(), "0.1.0", REPLICAS));
        cookie = Ticker.cookie(client, ns, NAME + "-cookie");
        Set<String> before = Erel.eventNames(client, ns, NAME);

        // paused: built, rehearsed, the plan published; then no pod moves until the user says go
        Erel.patchSpec(client, ns, NAME, Map.of("version", "0.2.0", "image", "ticker:0.2.0"));
        await("Paused with the plan of 0.1.0 -> 0.2.0").until(() -> "Paused".equals(erel().path("status").path("phase").asText())
                && "0.2.0".equals(erel().path("status").path("plan").path("to").asText()));
        JsonNode plan = erel().path("status").path("plan");
        System.out.println("[e2e] paused with the plan: " + plan.path("summary").asText() + "; rehearsal "
                + plan.path("rehearsal").path("result").asText());
        assertEquals("AwaitingApproval", Erel.condition(erel(), "Progressing", "reason"));
        assertTrue(plan.path("summary").asText().contains("ticker_server"), plan.toString());
        Thread.sleep(5_000);
        for (Ticker.Snapshot s : Ticker.snapshot(client, ns, cookie).values()) {
            assertEquals("0.1.0", s.permanentVersion(), s.pod() + " untouched while paused: " + s.releases());
            assertTrue(s.releases().stream().noneMatch(r -> r.version().equals("0.2.0")), s.pod() + " got no package");
        }
        assertEquals(0, events(before, "PodUpgraded").size());
        Erel.patchSpec(client, ns, NAME, Map.of("paused", false));
        await("Ready on 0.2.0").until(() -> Erel.readyOn(erel(), "0.2.0", REPLICAS));

        List<Event> passed = events(before, "HealthCheckPassed");
        passed.forEach(e -> System.out.println("[e2e] " + e.getLastTimestamp() + " " + e.getMessage()));
        assertEquals(REPLICAS, passed.size(), "one passed check per pod");
        assertTrue(passed.stream().allMatch(e -> e.getMessage().contains("ticker_server:health() answered ok")));
        Event canaryChecked = passed.get(0);
        assertTrue(canaryChecked.getMessage().startsWith("pod ticker-2 "), canaryChecked.getMessage());
        Event secondMoved = events(before, "PodUpgraded").stream().filter(e -> e.getMessage().startsWith("pod ticker-1"))
                .findFirst().orElseThrow();
        Duration gap = Duration.between(Instant.parse(canaryChecked.getLastTimestamp()),
                Instant.parse(secondMoved.getLastTimestamp()));
        System.out.println("[e2e] canary checked at " + canaryChecked.getLastTimestamp() + ", ticker-1 moved at "
                + secondMoved.getLastTimestamp() + ": " + gap.toSeconds() + " s");
        assertTrue(gap.toSeconds() >= 20, "the second pod moved " + gap + " after the canary's check, soak 20 s");
        assertEquals(1, events(before, "CanarySoaking").size());
        assertEquals("Succeeded", Erel.lastHistory(erel()).path("result").asText());
    }

    static long interval(String node) throws Exception {
        var info = (com.ericsson.otp.erlang.OtpErlangMap) ErlangNodes.rpc(node, cookie, 5_000, "ticker_server", "info");
        return ((com.ericsson.otp.erlang.OtpErlangLong) info.get(new com.ericsson.otp.erlang.OtpErlangAtom("interval")))
                .longValue();
    }

    /**
     * The seed's live configuration pipeline, declared: spec.config reaches every node in place (config_change/3
     * pushes the interval into the running server), canary first; a text that names an application the release
     * does not have is refused before any pod is touched; the overrides survive a BEAM restart.
     */
    @Test
    @Order(2)
    void aConfigChangeIsAppliedInPlaceAndABadOneIsRefusedTouchingNothing() throws Exception {
        Map<String, Ticker.Snapshot> before = Ticker.snapshot(client, ns, cookie);
        for (Ticker.Snapshot s : before.values()) {
            assertEquals(5000, interval(s.node()), s.pod() + " runs 0.2.0's own interval");
        }
        Set<String> eventsBefore = Erel.eventNames(client, ns, NAME);
        Erel.patchSpec(client, ns, NAME, Map.of("canary", Map.of("soakSeconds", 0),
                "config", "[{ticker, [{ticker, 1500}]}]."));
        await("every node on interval 1500").until(() -> {
            for (Ticker.Snapshot s : Ticker.snapshot(client, ns, cookie).values()) {
                if (interval(s.node()) != 1500) {
                    return false;
                }
            }
            return Erel.readyOn(erel(), "0.2.0", REPLICAS);
        });
        Map<String, Ticker.Snapshot> after = Ticker.snapshot(client, ns, cookie);
        Ticker.assertInPlace(before, after, "0.2.0");
        List<Event> applied = events(eventsBefore, "ConfigApplied");
        applied.forEach(e -> System.out.println("[e2e] " + e.getMessage()));
        assertEquals(REPLICAS, applied.size());
        assertTrue(applied.get(0).getMessage().contains("ticker-2"), "the canary first: " + applied.get(0).getMessage());
        JsonNode config = erel().path("status").path("config");
        String desired = config.path("desired").asText();
        for (String pod : before.keySet()) {
            assertEquals(desired, config.path("applied").path(pod).asText(), pod + " in status.config.applied: " + config);
        }

        Erel.patchSpec(client, ns, NAME, Map.of("config", "[{tikker, [{ticker, 10}]}]."));
        await("ConfigRejected").until(() -> "ConfigRejected".equals(Erel.condition(erel(), "Degraded", "reason")));
        String why = Erel.condition(erel(), "Degraded", "message");
        System.out.println("[e2e] ConfigRejected: " + why);
        assertTrue(why.contains("tikker"), why);
        assertEquals("[{tikker, [{ticker, 10}]}].", erel().path("status").path("config").path("rejected").path("text").asText());
        assertEquals(1, events(eventsBefore, "ConfigRejected").size());
        for (Ticker.Snapshot s : Ticker.snapshot(client, ns, cookie).values()) {
            assertEquals(1500, interval(s.node()), s.pod() + " keeps its configuration");
        }
        // text that does not parse: refused the same way
        Erel.patchSpec(client, ns, NAME, Map.of("config", "[{ticker, [{ticker, 10}]}"));
        await("ConfigRejected for the malformed text").until(() -> "[{ticker, [{ticker, 10}]}".equals(
                erel().path("status").path("config").path("rejected").path("text").asText()));
        System.out.println("[e2e] ConfigRejected: " + erel().path("status").path("config").path("rejected").path("reason").asText());
        assertEquals("ConfigRejected", Erel.condition(erel(), "Degraded", "reason"));
        for (Ticker.Snapshot s : Ticker.snapshot(client, ns, cookie).values()) {
            assertEquals(1500, interval(s.node()), s.pod() + " keeps its configuration");
        }

        Erel.patchSpec(client, ns, NAME, Map.of("config", "[{ticker, [{ticker, 1500}]}]."));
        await("Ready, nothing rejected").until(() -> Erel.readyOn(erel(), "0.2.0", REPLICAS)
                && "False".equals(Erel.condition(erel(), "Degraded", "status")));
        // a new BEAM boots with the overrides (they are in its release's sys.config)
        Ticker.Snapshot victim = Ticker.snapshot(client, ns, cookie).get("ticker-0");
        ErlangNodes.halt(victim.node(), cookie);
        await("ticker-0 restarted").until(() -> client.pods().inNamespace(ns).withName("ticker-0").get().getStatus()
                .getContainerStatuses().get(0).getRestartCount() > victim.restarts());
        await("Ready again").until(() -> Erel.readyOn(erel(), "0.2.0", REPLICAS));
        Ticker.Snapshot rebooted = Ticker.snapshot(client, ns, cookie).get("ticker-0");
        assertEquals(1500, interval(rebooted.node()), "the rebooted BEAM kept the overrides");
    }

    /**
     * With rehearsal on (the default), 0.8.0's failing health check is found by the build Job's throwaway node: the
     * move is refused before any pod is touched. The rehearsal node boots the image's own configuration (no
     * spec.config), so its answer names 0.2.0's own interval.
     */
    @Test
    @Order(3)
    void aRehearsalWhoseHealthCheckFailsIsRefusedBeforeAnyPodIsTouched() throws Exception {
        Map<String, Ticker.Snapshot> before = Ticker.snapshot(client, ns, cookie);
        Set<String> eventsBefore = Erel.eventNames(client, ns, NAME);
        Erel.patchSpec(client, ns, NAME, Map.of("version", "0.8.0", "image", "ticker:0.8.0"));
        await("Degraded RehearsalFailed").until(() -> "RehearsalFailed".equals(Erel.condition(erel(), "Degraded", "reason")));
        String message = Erel.condition(erel(), "Degraded", "message");
        System.out.println("[e2e] Degraded RehearsalFailed: " + message);
        assertTrue(message.contains("failed at health") && message.contains("ticker_server:health() answered")
                && message.contains("interval_too_long") && message.contains("no pod was touched"), message);
        JsonNode rehearsal = erel().path("status").path("plan").path("rehearsal");
        assertEquals("Failed", rehearsal.path("result").asText(), rehearsal.toString());
        assertEquals("health", rehearsal.path("failedStep").asText(), rehearsal.toString());
        Thread.sleep(3000);
        Map<String, Ticker.Snapshot> after = Ticker.snapshot(client, ns, cookie);
        Ticker.assertInPlace(before, after, "0.2.0");
        for (Ticker.Snapshot a : after.values()) {
            assertTrue(a.releases().stream().noneMatch(r -> r.version().equals("0.8.0")), a.pod() + " never got the package");
        }
        assertEquals(0, events(eventsBefore, "PodUpgraded").size());
        assertEquals(0, events(eventsBefore, "RehearsalPassed").size());
    }

    /** The same failure on a live canary (rehearsal off): the production rollback. */
    @Test
    @Order(4)
    void aFailingCheckOnTheCanaryMovesItBackInPlaceAndNothingIsTriedAgain() throws Exception {
        Map<String, Ticker.Snapshot> before = Ticker.snapshot(client, ns, cookie);
        for (Ticker.Snapshot s : before.values()) {
            InstallProbe.arm(s.node(), cookie);
        }
        Set<String> eventsBefore = Erel.eventNames(client, ns, NAME);

        Erel.patchSpec(client, ns, NAME, Map.of("version", "0.8.0", "image", "ticker:0.8.0", "rehearse", false));
        await("Degraded RolledBack").until(() -> "RolledBack".equals(Erel.condition(erel(), "Degraded", "reason")));
        String message = Erel.condition(erel(), "Degraded", "message");
        System.out.println("[e2e] Degraded RolledBack: " + message);
        assertTrue(message.contains("ticker-2") && message.contains("ticker_server:health()")
                && message.contains("{error,{interval_too_long,1500}}") && message.contains("rolled back to 0.2.0"), message);
        assertEquals("RolledBack", Erel.lastHistory(erel()).path("result").asText());
        assertEquals("Degraded", erel().path("status").path("phase").asText());

        Map<String, Ticker.Snapshot> after = Ticker.snapshot(client, ns, cookie);
        Ticker.assertInPlace(before, after, "0.2.0");
        assertEquals(2, InstallProbe.installs(after.get("ticker-2").node(), cookie), "the canary: up to 0.8.0, back to 0.2.0");
        for (String pod : List.of("ticker-0", "ticker-1")) {
            assertEquals(0, InstallProbe.installs(after.get(pod).node(), cookie), pod + " never touched");
            assertTrue(after.get(pod).releases().stream().noneMatch(r -> r.version().equals("0.8.0")),
                    pod + " never got the package: " + after.get(pod).releases());
        }
        assertEquals(1, events(eventsBefore, "PodRolledBack").size());

        // no further attempt: nothing on any node, no new move, for a minute
        int eventCount = Erel.eventNames(client, ns, NAME).size();
        Thread.sleep(60_000);
        for (Ticker.Snapshot s : Ticker.snapshot(client, ns, cookie).values()) {
            assertEquals(s.pod().equals("ticker-2") ? 2 : 0, InstallProbe.installs(s.node(), cookie), s.pod());
        }
        assertEquals(1, events(eventsBefore, "MoveStarted").size(), "one move in the minute");
        assertEquals(eventCount, Erel.eventNames(client, ns, NAME).size(), "no new event in the minute: "
                + Erel.events(client, ns, NAME));
        assertEquals("RolledBack", Erel.condition(erel(), "Degraded", "reason"));
    }

    @Test
    @Order(5)
    void underManualTheCanaryStaysOnTheNewVersionAndTheMoveStops() throws Exception {
        Set<String> eventsBefore = Erel.eventNames(client, ns, NAME);
        Erel.patchSpec(client, ns, NAME, Map.of("rollback", "Manual"));
        await("Degraded MoveFailed").until(() -> "MoveFailed".equals(Erel.condition(erel(), "Degraded", "reason")));
        String message = Erel.condition(erel(), "Degraded", "message");
        System.out.println("[e2e] Degraded MoveFailed: " + message);
        assertTrue(message.contains("rollback is Manual: ticker-2 stay on 0.8.0"), message);
        Map<String, Ticker.Snapshot> now = Ticker.snapshot(client, ns, cookie);
        assertEquals("0.8.0", now.get("ticker-2").permanentVersion(), now.get("ticker-2").releases().toString());
        assertEquals("0.8.0", now.get("ticker-2").appVsn());
        assertEquals("0.2.0", now.get("ticker-1").permanentVersion());
        assertEquals("0.2.0", now.get("ticker-0").permanentVersion());
        assertEquals(0, events(eventsBefore, "PodRolledBack").size());
        JsonNode last = Erel.lastHistory(erel());
        assertNotNull(last);
        assertEquals("Failed", last.path("result").asText());
    }
}
