package dev.relup.e2e.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.fasterxml.jackson.databind.JsonNode;

import dev.relup.e2e.cluster.BeamFreezer;
import dev.relup.e2e.cluster.ClusterProvider;
import dev.relup.e2e.cluster.E2ePaths;
import dev.relup.e2e.cluster.ErlangNodes;
import dev.relup.e2e.cluster.KubernetesE2e;
import dev.relup.e2e.cluster.TestNamespace;
import dev.relup.e2e.release.Erel;
import dev.relup.e2e.release.Images;
import dev.relup.e2e.release.InstallProbe;
import dev.relup.e2e.release.Ticker;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The operator on the real cluster, one scenario in order (each step starts from the state the previous one left):
 * create, hot upgrade, a BEAM crash, a node moved behind the operator's back, hot downgrade, an operator killed
 * in the middle of a move, a non-hot step under strategy Hot, an image that cannot be built, and Auto falling
 * back to a rolling restart. The packaged operator runs as a child process (SIGKILL = crash).
 *
 * <p>Images: ticker:0.1.0, ticker:0.2.0, ticker:0.9.0 (broken code_change), relup-busybox:1 and relup-tools:dev in
 * the cluster's containerd (prepare-e2e loads the first ones; {@link Images#ensure} loads what is missing).
 */
@KubernetesE2e
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErlangReleaseOperatorIT {

    static final String NAME = "ticker";
    static final int REPLICAS = 3;
    static final Duration MOVE_TIMEOUT = Duration.ofMinutes(4);

    static OperatorProcess operator;
    static String ns;
    static KubernetesClient client;
    static String cookie;
    static Map<String, Ticker.Snapshot> beforeUpgrade;

    @BeforeAll
    static void setUp(KubernetesClient c, TestNamespace namespace, ClusterProvider cluster) throws Exception {
        client = c;
        ns = namespace.name();
        Images.ensure(cluster, List.of("ticker:0.1.0", "ticker:0.2.0", "ticker:0.9.0", "relup-tools:dev"));
        Erel.installCrd(client);
        // idle passes every second (default 30 s), so that idle-pass leaks show within the test
        operator = new OperatorProcess(ns, namespace.logDir(), Map.of("RELUP_REQUEUE_IDLE", "1s"));
        operator.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (operator != null) {
            operator.close();
        }
    }

    static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), cmd + " timed out");
        assertEquals(0, p.exitValue(), cmd + " failed: " + out);
        return out;
    }

    static ConditionFactory await(String what) {
        return Awaitility.await(what).atMost(MOVE_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions();
    }

    static JsonNode erel() {
        return Erel.get(client, ns, NAME);
    }

    static Map<String, Object> spec(String version, String strategy) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("release", "ticker");
        s.put("version", version);
        s.put("image", "ticker:" + version);
        s.put("replicas", REPLICAS);
        s.put("strategy", strategy);
        return s;
    }

    static String templateImage() {
        return client.apps().statefulSets().inNamespace(ns).withName(NAME).get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    /** The pod's BEAM halts (its container restarts, the pod stays); then the release is Ready on {@code version}. */
    static void haltBeamAndAwaitReady(Ticker.Snapshot victim, String version) {
        ErlangNodes.halt(victim.node(), cookie);
        await(victim.pod() + " container restarted").until(() ->
                client.pods().inNamespace(ns).withName(victim.pod()).get().getStatus().getContainerStatuses().get(0)
                        .getRestartCount() > victim.restarts());
        await("Ready on " + version + " again").until(() -> Erel.readyOn(erel(), version, REPLICAS));
    }

    /**
     * Each step of a move is decided once: a pass that read the ErlangRelease from before the previous pass's status
     * patch would choose the method or finish the move a second time (the same events 140-200 ms apart).
     */
    void assertEachStepOnce(java.util.Set<String> eventsBefore, String from, String to) throws InterruptedException {
        await("the move's history entry").until(() -> {
            JsonNode last = Erel.lastHistory(erel());
            return last != null && from.equals(last.path("from").asText()) && to.equals(last.path("to").asText());
        });
        Thread.sleep(3000); // a duplicate came within 200 ms; give a stale pass ample time to show itself
        long methods = Erel.occurrences(client, ns, NAME, eventsBefore, "MethodChosen", "");
        long moves = Erel.occurrences(client, ns, NAME, eventsBefore, "MoveStarted", from + " to " + to);
        long successes = Erel.occurrences(client, ns, NAME, eventsBefore, "UpgradeSucceeded", from + " -> " + to);
        System.out.printf("[e2e] %s -> %s: MoveStarted x%d, MethodChosen x%d, UpgradeSucceeded x%d%n", from, to, moves,
                methods, successes);
        List<String> events = Erel.events(client, ns, NAME);
        assertEquals(1, moves, "MoveStarted once: " + events);
        assertEquals(1, methods, "MethodChosen once: " + events);
        assertEquals(1, successes, "UpgradeSucceeded once: " + events);
        long entries = 0;
        for (JsonNode h : erel().path("status").path("history")) {
            if (from.equals(h.path("from").asText()) && to.equals(h.path("to").asText())
                    && "Succeeded".equals(h.path("result").asText())) {
                entries++;
            }
        }
        assertTrue(entries >= 1, "a history entry for " + from + " -> " + to);
    }

    @Test
    @Order(1)
    void createsAReadyReleaseThatKubectlShows() throws Exception {
        Erel.create(client, ns, NAME, spec("0.1.0", "Hot"));
        await("ErlangRelease Ready on 0.1.0").until(() -> Erel.readyOn(erel(), "0.1.0", REPLICAS));
        JsonNode e = erel();
        assertEquals("Running", e.path("status").path("phase").asText());
        assertEquals("0.1.0", e.path("status").path("lastStableVersion").asText());
        assertEquals(REPLICAS, e.path("status").path("pods").size());
        assertEquals("OnDelete", client.apps().statefulSets().inNamespace(ns).withName(NAME).get()
                .getSpec().getUpdateStrategy().getType());
        cookie = Ticker.cookie(client, ns, NAME + "-cookie");
        // Ready means the node serves: the readiness gate the operator sets once the node's boot finished
        for (var pod : client.pods().inNamespace(ns).withLabel("app.kubernetes.io/component", "erlang-node").list().getItems()) {
            assertTrue(pod.getSpec().getReadinessGates().stream().anyMatch(g -> g.getConditionType().equals("relup.dev/node-ready")),
                    pod.getMetadata().getName() + " has the readiness gate");
            var gate = pod.getStatus().getConditions().stream().filter(c -> c.getType().equals("relup.dev/node-ready"))
                    .findFirst().orElseThrow(() -> new AssertionError("no relup.dev/node-ready condition on " + pod.getMetadata().getName()));
            assertEquals("True", gate.getStatus(), gate.getMessage());
        }
        String table = run(List.of("kubectl", "--kubeconfig", E2ePaths.kubeconfig().toString(), "get",
                "erlangreleases", "-n", ns));
        System.out.println("[e2e] kubectl get erlangreleases:\n" + table);
        // the CRD generator orders printer columns by JSON path, so Age (.metadata) comes first
        assertTrue(table.lines().findFirst().orElse("").matches("NAME\\s+AGE\\s+DESIRED\\s+CURRENT\\s+PHASE\\s+READY\\s*"), table);
        assertTrue(table.lines().skip(1).anyMatch(l -> l.matches("ticker\\s+\\S+\\s+0\\.1\\.0\\s+0\\.1\\.0\\s+Running\\s+3/3\\s*")), table);
        String shortName = run(List.of("kubectl", "--kubeconfig", E2ePaths.kubeconfig().toString(), "get", "erel",
                "-n", ns, "-o", "name"));
        assertEquals("erlangrelease.relup.dev/ticker", shortName.strip());
        // idle passes (one a second, each asking every node) do not leak sockets
        long fdBefore = operator.openFiles();
        Thread.sleep(15_000);
        long fdAfter = operator.openFiles();
        System.out.println("[e2e] operator open files over 15 idle passes: " + fdBefore + " -> " + fdAfter);
        assertTrue(fdAfter <= fdBefore + 5, "open files grow while idle: " + fdBefore + " -> " + fdAfter);
        // the cookie is not in the operator's log
        assertTrue(!java.nio.file.Files.readString(operator.logDir().resolve("operator-1.log")).contains(cookie),
                "the operator log shows the cookie");
    }

    @Test
    @Order(2)
    void hotUpgradeKeepsPodsAndStateAndRunsTheNewChild() throws Exception {
        beforeUpgrade = Ticker.snapshot(client, ns, cookie);
        Thread.sleep(1500); // let the tick counters move
        java.util.Set<String> eventsBefore = Erel.eventNames(client, ns, NAME);
        long t0 = System.nanoTime();
        Erel.patchSpec(client, ns, NAME, Map.of("version", "0.2.0", "image", "ticker:0.2.0"));
        await("every pod on 0.2.0").until(() -> Erel.readyOn(erel(), "0.2.0", REPLICAS));
        assertEachStepOnce(eventsBefore, "0.1.0", "0.2.0");
        System.out.printf("[e2e] 0.1.0 -> 0.2.0 hot (with the package build): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        Map<String, Ticker.Snapshot> after = Ticker.snapshot(client, ns, cookie);
        Ticker.assertInPlace(beforeUpgrade, after, "0.2.0");
        for (Ticker.Snapshot s : after.values()) {
            assertTrue(Ticker.statsRuns(s.node(), cookie), s.pod() + ": ticker_stats (new in 0.2.0) runs");
        }
        JsonNode last = Erel.lastHistory(erel());
        assertEquals("0.1.0", last.path("from").asText());
        assertEquals("0.2.0", last.path("to").asText());
        assertEquals("Hot", last.path("method").asText());
        assertEquals("Succeeded", last.path("result").asText());
        assertEquals("ticker:0.2.0", templateImage(), "the template follows without restarting pods");
        assertEquals("ticker:0.1.0", erel().path("status").path("images").path("0.1.0").asText());
        List<String> events = Erel.events(client, ns, NAME);
        System.out.println("[e2e] events:\n  " + String.join("\n  ", events));
        for (String reason : List.of("MoveStarted", "BuildStarted", "PackageReady", "PodUpgraded", "UpgradeSucceeded")) {
            assertTrue(events.stream().anyMatch(x -> x.startsWith(reason + ":")), "event " + reason + " in " + events);
        }
        assertEquals(REPLICAS, events.stream().filter(x -> x.startsWith("PodUpgraded:") && x.contains("0.1.0 -> 0.2.0")).count());
        assertTrue(events.stream().anyMatch(x -> x.startsWith("PodUpgraded:") && x.contains("(canary)")));
    }

    @Test
    @Order(3)
    void aCrashedBeamComesBackOnTheDesiredVersion() throws Exception {
        Map<String, Ticker.Snapshot> before = Ticker.snapshot(client, ns, cookie);
        Ticker.Snapshot victim = before.get("ticker-1");
        haltBeamAndAwaitReady(victim, "0.2.0");
        Ticker.Snapshot after = Ticker.snapshot(client, ns, cookie).get("ticker-1");
        assertEquals(victim.uid(), after.uid(), "same pod");
        assertEquals("0.2.0", after.permanentVersion(), "the restarted BEAM booted the hot-upgraded release " + after.releases());
        assertTrue(Ticker.statsRuns(after.node(), cookie));
    }

    @Test
    @Order(4)
    void aNodeMovedBehindTheOperatorsBackIsBroughtBack() throws Exception {
        Ticker.Snapshot target = Ticker.snapshot(client, ns, cookie).get("ticker-0");
        OtpErlangObject r = ErlangNodes.rpc(target.node(), cookie, 60_000, "release_handler", "install_release",
                new OtpErlangString("0.1.0"));
        assertTrue(r.toString().startsWith("{ok,"), "manual downgrade of ticker-0: " + r);
        await("ticker-0 back on 0.2.0, permanent").until(() -> {
            Ticker.Snapshot s = Ticker.snapshot(client, ns, cookie).get("ticker-0");
            return "0.2.0".equals(s.runningVersion()) && "0.2.0".equals(s.permanentVersion());
        });
        await("Ready on 0.2.0").until(() -> Erel.readyOn(erel(), "0.2.0", REPLICAS));
        Ticker.Snapshot after = Ticker.snapshot(client, ns, cookie).get("ticker-0");
        assertEquals(target.uid(), after.uid());
        assertEquals(target.restarts(), after.restarts());
        JsonNode last = Erel.lastHistory(erel());
        assertEquals("0.1.0", last.path("from").asText(), "the convergence is a recorded move: " + last);
        assertEquals("Hot", last.path("method").asText());
    }

    @Test
    @Order(5)
    void hotDowngradeMovesEveryPodBackInPlace() throws Exception {
        Map<String, Ticker.Snapshot> before = Ticker.snapshot(client, ns, cookie);
        long builds = Erel.events(client, ns, NAME).stream().filter(x -> x.startsWith("BuildStarted:")).count();
        java.util.Set<String> eventsBefore = Erel.eventNames(client, ns, NAME);
        Erel.patchSpec(client, ns, NAME, Map.of("version", "0.1.0", "image", "ticker:0.1.0"));
        await("every pod back on 0.1.0").until(() -> Erel.readyOn(erel(), "0.1.0", REPLICAS));
        assertEachStepOnce(eventsBefore, "0.2.0", "0.1.0");
        Ticker.assertInPlace(before, Ticker.snapshot(client, ns, cookie), "0.1.0");
        JsonNode last = Erel.lastHistory(erel());
        assertEquals("0.2.0", last.path("from").asText());
        assertEquals("0.1.0", last.path("to").asText());
        assertEquals("Hot", last.path("method").asText());
        assertEquals(builds, Erel.events(client, ns, NAME).stream().filter(x -> x.startsWith("BuildStarted:")).count(),
                "a downgrade to a release still on the nodes needs no build");
        assertEquals("ticker:0.1.0", templateImage());
    }

    /**
     * A node frozen for a minute during a move (SIGSTOP: a stalled VM, frozen just before the spec changes) holds
     * the move; the status says which node it waits for, and the operator warns about that pod a few times, not
     * once per pass. Thawed, every pod moves in place, the frozen one with its state.
     */
    @Test
    @Order(6)
    void aNodeFrozenForAMinuteMidMoveHoldsItAndIsWarnedAboutAFewTimes() throws Exception {
        Map<String, Ticker.Snapshot> before = Ticker.snapshot(client, ns, cookie);
        Ticker.Snapshot frozen = before.get("ticker-1");
        java.util.Set<String> eventsBefore = Erel.eventNames(client, ns, NAME);
        String waiting;
        try (BeamFreezer f = BeamFreezer.freeze(frozen.node(), cookie, Duration.ofSeconds(62))) {
            long frozenAt = System.nanoTime();
            Erel.patchSpec(client, ns, NAME, Map.of("version", "0.2.0", "image", "ticker:0.2.0"));
            await("the move waits for the frozen node").until(() ->
                    "NodeUnreachable".equals(Erel.condition(erel(), "Ready", "reason")));
            waiting = Erel.condition(erel(), "Ready", "message");
            assertEquals("Upgrading", erel().path("status").path("phase").asText());
            Thread.sleep(Math.max(0, Duration.ofSeconds(60).toMillis() - (System.nanoTime() - frozenAt) / 1_000_000));
            assertEquals("NodeUnreachable", Erel.condition(erel(), "Ready", "reason"), "still held after 60 s");
        }
        System.out.println("[e2e] while frozen: " + waiting);
        assertTrue(waiting.contains("ticker-1"), waiting);
        await("every pod on 0.2.0 after the thaw").until(() -> Erel.readyOn(erel(), "0.2.0", REPLICAS));
        Ticker.assertInPlace(before, Ticker.snapshot(client, ns, cookie), "0.2.0");

        List<String> told = new java.util.ArrayList<>();
        long warnings = 0;
        for (var e : client.v1().events().inNamespace(ns).list().getItems()) {
            if ("Warning".equals(e.getType()) && !eventsBefore.contains(e.getMetadata().getName())
                    && e.getMessage() != null && e.getMessage().contains("ticker-1")) {
                warnings += e.getCount() == null ? 1 : e.getCount();
                told.add(e.getReason() + " x" + e.getCount() + ": " + e.getMessage());
            }
        }
        System.out.println("[e2e] warnings about the frozen pod:\n  " + String.join("\n  ", told));
        assertTrue(warnings >= 1 && warnings <= 5, "1 to 5 warnings about ticker-1 in a minute, not one per pass: " + told);

        // back to 0.1.0 (in place, no build) for the next scenario
        Erel.patchSpec(client, ns, NAME, Map.of("version", "0.1.0", "image", "ticker:0.1.0"));
        await("every pod back on 0.1.0").until(() -> Erel.readyOn(erel(), "0.1.0", REPLICAS));
    }

    /**
     * The operator dies right after make_permanent on the canary (a fault point, not a timer: the kill lands there
     * every run), before the start script copy. The restarted operator installs nothing twice (counted on the nodes,
     * by release_handler's own requests), says it took the canary over, copies its start script, and finishes; then
     * the canary's BEAM is killed and boots the NEW version.
     */
    @Test
    @Order(7)
    void anOperatorKilledMidMoveFinishesWithoutASecondInstall() throws Exception {
        Map<String, Ticker.Snapshot> before = Ticker.snapshot(client, ns, cookie);
        for (Ticker.Snapshot s : before.values()) {
            InstallProbe.arm(s.node(), cookie);
        }
        java.util.Set<String> eventsBefore = Erel.eventNames(client, ns, NAME);
        operator.kill();
        operator.start(Map.of("RELUP_FAULT_HALT_AFTER_STEP", "MAKE_PERMANENT"));
        Erel.patchSpec(client, ns, NAME, Map.of("version", "0.2.0", "image", "ticker:0.2.0"));
        assertEquals(137, operator.awaitExit(MOVE_TIMEOUT), "the operator halted at the fault point");

        Ticker.Snapshot canary = Ticker.snapshot(client, ns, cookie).get("ticker-2");
        assertEquals("0.2.0", canary.permanentVersion(), "the canary was made permanent: " + canary.releases());
        assertFalse(InstallProbe.startScriptIs(canary.node(), cookie, "0.2.0"),
                "the operator died before copying the canary's start script");
        for (String pod : List.of("ticker-0", "ticker-1")) {
            assertEquals("0.1.0", Ticker.snapshot(client, ns, cookie).get(pod).permanentVersion(), pod + " not moved yet");
        }
        assertEquals("0.2.0", erel().path("status").path("move").path("to").asText(), "the intent was recorded");

        operator.start();
        await("the restarted operator finishes the move").until(() -> Erel.readyOn(erel(), "0.2.0", REPLICAS));
        Map<String, Ticker.Snapshot> after = Ticker.snapshot(client, ns, cookie);
        Ticker.assertInPlace(before, after, "0.2.0");
        for (Ticker.Snapshot s : after.values()) {
            assertEquals(1, InstallProbe.installs(s.node(), cookie), s.pod() + ": install_release called exactly once");
            assertTrue(InstallProbe.startScriptIs(s.node(), cookie, "0.2.0"), s.pod() + ": bin/ticker starts 0.2.0");
        }
        List<String> took = Erel.events(client, ns, NAME).stream()
                .filter(x -> x.startsWith("PodTakenOver:") && x.contains("pod ticker-2 ")).toList();
        System.out.println("[e2e] " + took);
        assertEquals(1, took.size(), "the restarted operator says it found the canary installed: "
                + Erel.events(client, ns, NAME));
        assertEquals(1, Erel.occurrences(client, ns, NAME, eventsBefore, "UpgradeSucceeded", "0.1.0 -> 0.2.0"));

        // the proof that the copy happened: the canary's BEAM restarts into 0.2.0
        haltBeamAndAwaitReady(canary, "0.2.0");
        Ticker.Snapshot rebooted = Ticker.snapshot(client, ns, cookie).get("ticker-2");
        assertEquals(canary.uid(), rebooted.uid(), "same pod");
        assertEquals("0.2.0", rebooted.appVsn(), "the rebooted BEAM runs ticker 0.2.0");
        assertEquals("0.2.0", rebooted.permanentVersion(), rebooted.releases().toString());
        assertTrue(Ticker.statsRuns(rebooted.node(), cookie), "ticker_stats (0.2.0's child) runs after the reboot");
        assertEquals(-1, InstallProbe.installs(rebooted.node(), cookie), "a new BEAM (the probe died with the old one)");
    }

    /**
     * 0.9.0's code_change crashes: the build Job's rehearsal finds it on a throwaway node, so no pod is touched (its
     * BEAM, ticker_server pid and counter stay), under Hot and, after a spec change, under Auto too: a failed
     * rehearsal is no reason to restart onto the release (issue 8).
     */
    @Test
    @Order(8)
    void aCodeChangeThatCrashesInTheRehearsalTouchesNoPodUnderHotOrAuto() throws Exception {
        Map<String, Ticker.Snapshot> before = Ticker.snapshot(client, ns, cookie);
        Erel.patchSpec(client, ns, NAME, Map.of("version", "0.9.0", "image", "ticker:0.9.0"));
        await("Degraded").until(() -> Erel.degraded(erel()));
        JsonNode e = erel();
        String message = Erel.condition(e, "Degraded", "message");
        System.out.println("[e2e] Degraded: " + Erel.condition(e, "Degraded", "reason") + ": " + message);
        assertEquals("RehearsalFailed", Erel.condition(e, "Degraded", "reason"));
        assertTrue(message.contains("failed at install") && message.contains("code_change")
                && message.contains("broken_on_purpose") && message.contains("no pod was touched"), message);
        assertEquals("Degraded", e.path("status").path("phase").asText());
        assertEquals("Failed", e.path("status").path("plan").path("rehearsal").path("result").asText());
        Thread.sleep(3000); // nothing else happens
        assertUntouched(before);

        Erel.patchSpec(client, ns, NAME, Map.of("strategy", "Auto"));
        await("a second RehearsalFailed, under Auto").until(() -> failedMovesTo("0.9.0", "RehearsalFailed") >= 2);
        assertEquals("RehearsalFailed", Erel.condition(erel(), "Degraded", "reason"));
        Thread.sleep(3000);
        assertUntouched(before);
        List<String> events = Erel.events(client, ns, NAME);
        assertTrue(events.stream().noneMatch(x -> x.startsWith("RestartFallback:") || x.startsWith("PodRestarted:")
                && x.contains("0.9.0")), events.toString());
        assertEquals("ticker:0.2.0", templateImage(), "the template stays on the version the pods run");
    }

    /** Same pods, containers, BEAM incarnation of ticker_server, counter going on, all still on 0.2.0. */
    void assertUntouched(Map<String, Ticker.Snapshot> before) throws Exception {
        for (var s : Ticker.snapshot(client, ns, cookie).values()) {
            Ticker.Snapshot b = before.get(s.pod());
            assertEquals(b.uid(), s.uid(), "pods untouched");
            assertEquals(b.restarts(), s.restarts(), "containers not restarted");
            assertEquals(b.serverPid(), s.serverPid(), s.pod() + " same ticker_server: the BEAM did not restart");
            assertTrue(s.count() >= b.count(), s.pod() + " counter went on " + b.count() + " -> " + s.count());
            assertEquals("0.2.0", s.permanentVersion(), s.pod() + " still serves 0.2.0");
            assertEquals("0.2.0", s.runningVersion());
            assertTrue(s.releases().stream().noneMatch(r -> r.version().equals("0.9.0")), s.pod() + " never got the package");
        }
    }

    /** History entries of failed moves to {@code to} whose message starts with {@code reason}. */
    static long failedMovesTo(String to, String reason) {
        long n = 0;
        for (JsonNode h : erel().path("status").path("history")) {
            if (to.equals(h.path("to").asText()) && "Failed".equals(h.path("result").asText())
                    && h.path("message").asText().startsWith(reason)) {
                n++;
            }
        }
        return n;
    }

    @Test
    @Order(9)
    void anImageWhoseReleaseCannotBeBuiltIsDegradedWithTheReason() throws Exception {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("version", "0.9.1");
        change.put("image", "relup-busybox:1");
        Erel.patchSpec(client, ns, NAME, change);
        await("Degraded: build failed").until(() -> Erel.degraded(erel())
                && "BuildFailed".equals(Erel.condition(erel(), "Degraded", "reason")));
        String message = Erel.condition(erel(), "Degraded", "message");
        System.out.println("[e2e] Degraded: BuildFailed: " + message);
        assertTrue(message.contains("relup-busybox:1") && message.contains("/opt/release"), message);
        for (var s : Ticker.snapshot(client, ns, cookie).values()) {
            assertEquals("0.2.0", s.permanentVersion(), s.pod() + " still serves 0.2.0");
        }
        // back to what runs: Ready again, without any move
        Erel.patchSpec(client, ns, NAME, Map.of("version", "0.2.0", "image", "ticker:0.2.0"));
        await("Ready on 0.2.0 again").until(() -> Erel.readyOn(erel(), "0.2.0", REPLICAS)
                && "False".equals(Erel.condition(erel(), "Degraded", "status")));
    }

    @Test
    @Order(10)
    void autoFallsBackToARollingRestartWhenTheStepIsNotHot() throws Exception {
        Map<String, Ticker.Snapshot> before = Ticker.snapshot(client, ns, cookie);
        // without the rehearsal (order 8 shows it refusing 0.9.0) the crash happens on the canary, as before issue 8
        Erel.patchSpec(client, ns, NAME, Map.of("version", "0.9.0", "image", "ticker:0.9.0", "strategy", "Auto",
                "rehearse", false));
        await("every pod on 0.9.0 after restarts").until(() -> Erel.readyOn(erel(), "0.9.0", REPLICAS));
        Map<String, Ticker.Snapshot> after = Ticker.snapshot(client, ns, cookie);
        for (var s : after.values()) {
            assertNotEquals(before.get(s.pod()).uid(), s.uid(), s.pod() + " was recreated");
            assertEquals("0.9.0", s.permanentVersion());
        }
        JsonNode last = Erel.lastHistory(erel());
        assertEquals("Restart", last.path("method").asText(), "history: " + erel().path("status").path("history"));
        assertEquals("Succeeded", last.path("result").asText());
        List<String> events = Erel.events(client, ns, NAME);
        assertTrue(events.stream().anyMatch(x -> x.startsWith("RestartFallback:")), events.toString());
        assertEquals(REPLICAS, events.stream().filter(x -> x.startsWith("PodRestarted:") && x.contains("0.9.0")).count());
    }

    @Test
    @Order(11)
    void aPackageLostWithTheOperatorIsRebuilt() throws Exception {
        int eventsBefore = Erel.events(client, ns, NAME).size();
        Erel.patchSpec(client, ns, NAME, Map.of("version", "0.2.0", "image", "ticker:0.2.0"));
        Awaitility.await("the package of 0.9.0 -> 0.2.0 fetched").atMost(MOVE_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> Erel.events(client, ns, NAME).stream().skip(eventsBefore).anyMatch(x -> x.startsWith("PackageReady:")));
        operator.kill();
        long moved = Ticker.snapshot(client, ns, cookie).values().stream().filter(x -> "0.2.0".equals(x.permanentVersion())).count();
        assertTrue(moved < REPLICAS, "killed before every pod moved (" + moved + ")");
        operator.wipeCache();
        operator.start();
        await("Ready on 0.2.0 with a rebuilt package").until(() -> Erel.readyOn(erel(), "0.2.0", REPLICAS));
        List<String> events = Erel.events(client, ns, NAME);
        List<String> thisMove = events.subList(eventsBefore, events.size());
        System.out.println("[e2e] events of the move with a lost package:\n  " + String.join("\n  ", thisMove));
        assertEquals(2, thisMove.stream().filter(x -> x.startsWith("BuildStarted:")).count(), "built again: " + thisMove);
        assertEquals(2, thisMove.stream().filter(x -> x.startsWith("PackageReady:")).count(), "fetched again: " + thisMove);
    }
}
