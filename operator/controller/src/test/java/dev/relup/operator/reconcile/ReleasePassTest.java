package dev.relup.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.engine.upgrade.Step;
import dev.relup.operator.decide.Action;
import dev.relup.operator.node.NodeFailure;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/** Whole passes (observe, decide, act, status) on a CRUD API and fake nodes; see {@link PassHarness}. */
@EnableKubernetesMockClient(crud = true)
class ReleasePassTest {

    KubernetesClient client;
    @TempDir
    Path cacheDir;
    PassHarness h;

    @BeforeEach
    void createdAndRunningOn010() {
        h = new PassHarness(client, cacheDir);
        h.pass(); // ApplyWorkload: Secret, Service, StatefulSet
        h.podsRunning("0.1.0");
        ReleasePass.Result idle = h.passUntil(r -> r.action() instanceof Action.Idle, 10);
        assertThat(idle.status().getPhase()).isEqualTo("Running");
        assertThat(condition(idle.status(), "Ready").getStatus()).isEqualTo("True");
    }

    private ReleasePass.Result startUpgradeTo020() throws Exception {
        h.specVersion("0.2.0");
        h.passUntil(r -> r.action() instanceof Action.StartMove, 3);
        h.packageBuilt("0.1.0", "0.2.0");
        return h.pass();
    }

    @Test
    void aHotUpgradeMovesEachPodInOnePassCanaryFirstAndEndsRunning() throws Exception {
        assertThat(startUpgradeTo020().action()).isInstanceOf(Action.ChooseMethod.class);
        int first = h.results.size();
        ReleasePass.Result end = h.passUntil(r -> r.action() instanceof Action.Idle, 60);

        List<String> phases = new ArrayList<>();
        List<List<String>> hotPasses = new ArrayList<>();
        for (ReleasePass.Result r : h.results.subList(first, h.results.size())) {
            if (phases.isEmpty() || !phases.get(phases.size() - 1).equals(r.status().getPhase())) {
                phases.add(r.status().getPhase());
            }
            if (r.action() instanceof Action.HotMove m) {
                hotPasses.add(m.pods());
            }
        }
        // batchSize 1, and a pod's five steps fit in one pass's budget (relup.move.pass-budget)
        assertThat(hotPasses).as("one pass per pod").containsExactly(List.of("ticker-2"), List.of("ticker-1"),
                List.of("ticker-0"));
        assertThat(phases).as("no flicker through Starting when the move finishes").containsExactly("Upgrading", "Running");
        for (String pod : List.of("ticker-0", "ticker-1", "ticker-2")) {
            assertThat(h.calls(pod)).containsExactly(pod + " transfer 0.2.0", pod + " unpack 0.2.0", pod + " install 0.2.0",
                    pod + " make_permanent 0.2.0", pod + " copy_start_script 0.2.0");
        }
        List<String> order = h.nodes.calls.stream().filter(c -> !c.endsWith("which_releases")).toList();
        assertThat(order.indexOf("ticker-2 copy_start_script 0.2.0")).as("the canary finishes before the next pod starts")
                .isLessThan(order.indexOf("ticker-1 transfer 0.2.0"));
        ErlangReleaseStatus s = end.status();
        assertThat(s.getCurrentVersion()).isEqualTo("0.2.0");
        assertThat(s.getLastStableVersion()).isEqualTo("0.2.0");
        assertThat(s.getHistory().get(s.getHistory().size() - 1).getResult().name()).isEqualTo("Succeeded");
        assertThat(h.client.apps().statefulSets().inNamespace(PassHarness.NS).withName("ticker").get().getSpec()
                .getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("ticker:0.2.0");
        assertThat(h.events("PodUpgraded")).hasSize(3).allMatch(m -> m.contains("installed and made permanent"));
        assertThat(h.registry.get("relup.moves").tags("method", "Hot", "result", "Succeeded").counter().count()).isEqualTo(1.0);
        assertThat(h.registry.get("relup.step.duration").tags("step", "install").timer().count()).isEqualTo(3);
    }

    static final String TICKER_PLAN = """
            {"apps":[{"app":"ticker","appup":"generated","from":"0.1.0","instructions":[
             {"behaviour":"gen_server","kind":"add","module":"ticker_stats"},
             {"behaviour":"supervisor","detail":"child specs re-read","kind":"code_change","module":"ticker_sup","purge":"soft"},
             {"behaviour":"gen_server","kind":"code_change","module":"ticker_server","purge":"soft"},
             {"behaviour":"application","kind":"load","module":"ticker_app","purge":"soft"},
             {"detail":"ticker_stats","kind":"start_child","module":"ticker_sup"}],"to":"0.2.0"}],"relup_instructions":10}
            """;

    @Test
    void thePlanIsInTheStatusAndAnEventBeforeThePodsMoveAndStaysAfter() throws Exception {
        h.specVersion("0.2.0");
        h.passUntil(r -> r.action() instanceof Action.StartMove, 3);
        h.packageBuilt("0.1.0", "0.2.0", TICKER_PLAN);
        ReleasePass.Result first = h.pass();
        assertThat(first.action()).isInstanceOf(Action.ChooseMethod.class);
        assertThat(h.nodes.calls.stream().filter(c -> !c.endsWith("which_releases"))).as("no pod moved yet").isEmpty();
        var plan = first.status().getPlan();
        assertThat(plan.getFrom() + " -> " + plan.getTo() + " hot " + plan.getHot()).isEqualTo("0.1.0 -> 0.2.0 hot true");
        assertThat(plan.getPackageSha256()).hasSize(64);
        assertThat(plan.getApps()).singleElement().satisfies(a -> assertThat(a.getInstructions()).containsExactly(
                "ticker_stats (gen_server): added",
                "ticker_sup (supervisor): code_change (child specs re-read), soft purge",
                "ticker_server (gen_server): code_change, soft purge",
                "ticker_app (application): loaded, soft purge",
                "ticker_sup: child ticker_stats started"));
        assertThat(h.events("PlanReady")).containsExactly("0.1.0 -> 0.2.0: ticker: 1 added (ticker_stats), 2 updated "
                + "with code_change (ticker_sup, ticker_server), 1 loaded (ticker_app), 1 child started (ticker_stats); "
                + "soft purge");

        ReleasePass.Result end = h.passUntil(r -> r.action() instanceof Action.Idle, 60);
        assertThat(end.status().getPlan()).as("the last plan stays").usingRecursiveComparison().isEqualTo(plan);
        assertThat(h.events("PlanReady")).as("told once").hasSize(1);
    }

    @Test
    void anOperatorRestartedAfterMakePermanentOnlyCopiesTheStartScriptAndSaysSo() throws Exception {
        h.haltAfter = Optional.of(Step.MAKE_PERMANENT);
        h.restartOperator();
        startUpgradeTo020();
        assertThatThrownBy(() -> h.passUntil(r -> false, 20)).isInstanceOf(PassHarness.Halted.class);
        assertThat(h.nodes.calls).contains("ticker-2 make_permanent 0.2.0");
        assertThat(h.nodes.staleScript).contains("ticker-2");
        h.haltAfter = Optional.empty();
        h.restartOperator();
        h.passUntil(r -> r.action() instanceof Action.Idle, 60);
        assertThat(h.calls("ticker-2")).containsExactly("ticker-2 transfer 0.2.0", "ticker-2 unpack 0.2.0",
                "ticker-2 install 0.2.0", "ticker-2 make_permanent 0.2.0", "ticker-2 copy_start_script 0.2.0");
        assertThat(h.events("PodTakenOver")).singleElement().asString()
                .contains("pod ticker-2 already ran 0.2.0").contains("the start script copy");
        assertThat(h.events("PodUpgraded")).filteredOn(m -> m.contains("ticker-2")).singleElement().asString()
                .contains("finished and made permanent");
    }

    @Test
    void aMoveActsOnWhatTheNodesSayNowNotOnThePollersLastAnswer() throws Exception {
        h.pollOnceAndStall(); // every node on 0.1.0, as polled before the move; never polled again
        startUpgradeTo020();
        ReleasePass.Result end = h.passUntil(r -> r.action() instanceof Action.Idle, 40);
        assertThat(end.status().getCurrentVersion()).isEqualTo("0.2.0");
        for (String pod : List.of("ticker-0", "ticker-1", "ticker-2")) {
            assertThat(h.calls(pod)).containsExactly(pod + " transfer 0.2.0", pod + " unpack 0.2.0", pod + " install 0.2.0",
                    pod + " make_permanent 0.2.0", pod + " copy_start_script 0.2.0");
        }
    }

    @Test
    void aVersionAskedAgainRightAfterAMoveAwayFromItMovesTheNodesAgain() throws Exception {
        startUpgradeTo020();
        h.passUntil(r -> r.action() instanceof Action.Idle, 40);
        h.pollOnceAndStall(); // every node on 0.2.0: the poller's last answer before an idle wait
        h.specVersion("0.1.0");
        h.passUntil(r -> r.action() instanceof Action.Idle, 40); // a hot downgrade, inside the poller's idle wait
        h.nodes.calls.clear();
        h.specVersion("0.2.0");
        ReleasePass.Result end = h.passUntil(r -> r.action() instanceof Action.Idle, 40);
        assertThat(end.status().getCurrentVersion()).isEqualTo("0.2.0");
        for (String pod : List.of("ticker-0", "ticker-1", "ticker-2")) {
            assertThat(h.calls(pod)).as(pod).contains(pod + " install 0.2.0", pod + " make_permanent 0.2.0");
        }
        assertThat(h.events("MoveStarted")).hasSize(3);
    }

    @Test
    void aMoveAsksInEachPassOnlyTheNodesItChangedSinceTheirLastPoll() throws Exception {
        h.pollOnceAndStall();
        h.nodes.calls.clear();
        startUpgradeTo020();
        h.passUntil(r -> r.action() instanceof Action.Idle, 40);
        List<String> calls = List.copyOf(h.nodes.calls);
        int firstTouch = calls.indexOf("ticker-0 transfer 0.2.0");
        assertThat(calls.subList(0, firstTouch)).as("ticker-0 untouched while the canary and ticker-1 move")
                .doesNotContain("ticker-0 which_releases");
        assertThat(calls.subList(firstTouch, calls.size())).as("asked again once it changed")
                .contains("ticker-0 which_releases");
    }

    @Test
    void aStepThatKeepsFailingForAMinuteBacksOffAndWarnsAFewTimesOnOneEvent() throws Exception {
        startUpgradeTo020();
        h.nodes.failSteps.put("ticker-2", new NodeFailure(NodeFailure.Kind.TIMEOUT, "ticker-2: unpack_release timed out"));
        java.time.Instant failingSince = h.now;
        while (h.now.isBefore(failingSince.plusSeconds(60))) {
            h.pass();
        }
        long attempts = h.nodes.calls.stream().filter(c -> c.equals("ticker-2 failed step")).count();
        List<Event> warnings = warnings("UpgradeStepFailed");
        assertThat(attempts).as("backoff 1, 2, 4, 8, 16, 30 s").isBetween(5L, 7L);
        assertThat(warnings).as("one Event, updated").hasSize(1);
        assertThat(warnings.get(0).getCount()).as("written at 0, 7 and 31 s").isEqualTo(3);
        assertThat(warnings.get(0).getMessage()).contains("ticker-2: unpack_release timed out").contains("times since");
        ErlangReleaseStatus s = h.cr.getStatus();
        assertThat(condition(s, "Degraded").getReason()).isEqualTo("Retrying");
        assertThat(s.getMove().getRetryAt()).isNotNull();

        h.nodes.failSteps.clear();
        h.passUntil(r -> r.action() instanceof Action.Idle, 60);
        assertThat(h.cr.getStatus().getMove()).isNull();
        assertThat(condition(h.cr.getStatus(), "Degraded").getStatus()).isEqualTo("False");
    }

    @Test
    void aNodeAwayForAMinuteMidMoveHoldsTheMoveAndWarnsAtMostFiveTimes() throws Exception {
        startUpgradeTo020();
        h.passUntil(r -> h.nodes.calls.contains("ticker-2 copy_start_script 0.2.0"), 30);
        h.nodes.unreachable.add("ticker-1");
        java.time.Instant awaySince = h.now;
        int passes = 0;
        while (h.now.isBefore(awaySince.plusSeconds(60))) {
            ReleasePass.Result r = h.pass();
            passes++;
            assertThat(r.status().getPhase()).isEqualTo("Upgrading");
        }
        assertThat(passes).as("a pass every 2 s").isGreaterThanOrEqualTo(25);
        assertThat(h.calls("ticker-1")).isEmpty();
        assertThat(condition(h.cr.getStatus(), "Ready").getReason()).isEqualTo("NodeUnreachable");
        List<Event> warnings = warnings("NodeUnreachable");
        assertThat(warnings).as("one Event for the pod").hasSize(1);
        assertThat(warnings.get(0).getCount()).as("written at 0, 6, 16 and 36 s").isBetween(1, 5).isEqualTo(4);
        assertThat(warnings.get(0).getMessage()).contains("waits for the node of pod ticker-1");

        h.nodes.unreachable.clear();
        h.passUntil(r -> r.action() instanceof Action.Idle, 60);
        assertThat(h.calls("ticker-1")).contains("ticker-1 copy_start_script 0.2.0");
        assertThat(warnings("UpgradeStepFailed")).isEmpty();
    }

    private List<Event> warnings(String reason) {
        return h.client.v1().events().inNamespace(PassHarness.NS).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason()) && "Warning".equals(e.getType())).toList();
    }

    @Test
    void aSoftPurgeRefusalOnTheCanaryFailsTheMoveWithItsReasonAndTouchesNoOtherPod() throws Exception {
        startUpgradeTo020();
        String refused = "ticker-2: soft purge refused to install 0.2.0: old code of ticker_app still runs in 1 process: "
                + "<0.294.0> in ticker_app:linger/0; nothing was installed and the unpacked 0.2.0 was removed. To let it "
                + "through, end those processes or purge ticker_app brutally (kills them): spec.purge.modules: "
                + "{ticker_app: brutal}";
        h.nodes.failInstall = new NodeFailure(NodeFailure.Kind.OLD_PROCESSES, refused);
        ReleasePass.Result failed = h.passUntil(r -> r.action() instanceof Action.FailMove, 20);
        assertThat(((Action.FailMove) failed.action()).reason()).isEqualTo("OldProcesses");
        h.pass();
        ErlangReleaseStatus s = h.cr.getStatus();
        assertThat(s.getPhase()).isEqualTo("Degraded");
        Condition degraded = condition(s, "Degraded");
        assertThat(degraded.getReason()).isEqualTo("OldProcesses");
        assertThat(degraded.getMessage()).contains("ticker_app", "<0.294.0>", "ticker_app:linger/0",
                "spec.purge.modules: {ticker_app: brutal}");
        assertThat(h.nodes.calls.stream().filter(c -> c.contains(" install ")))
                .as("one install attempt: retrying the same package cannot help").containsExactly("ticker-2 install 0.2.0");
        assertThat(h.calls("ticker-1")).as("no other pod touched").isEmpty();
        assertThat(h.calls("ticker-0")).isEmpty();
        assertThat(s.getMove().getMethod().name()).as("no fallback to a restart, which would kill them").isEqualTo("Hot");
        assertThat(h.events("UpgradeFailed")).singleElement().asString().contains("OldProcesses", "<0.294.0>");
    }

    @Test
    void anApiErrorThatRetryingCannotFixEndsDegradedWithTheServersMessage() {
        h.workload = (r, image) -> {
            throw new KubernetesClientException("StatefulSet.apps \"ticker\" is invalid: metadata.labels: Invalid value", 422,
                    null);
        };
        h.cr.getSpec().setReplicas(4); // the workload must be applied again
        h.cr.getMetadata().setGeneration(2L);
        ReleasePass.Result r = h.pass();
        assertThat(r.action()).isInstanceOf(Action.Rejected.class);
        assertThat(r.requeue()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(r.status().getPhase()).isEqualTo("Degraded");
        Condition degraded = condition(r.status(), "Degraded");
        assertThat(degraded.getReason()).isEqualTo("ApiRejected");
        assertThat(degraded.getMessage()).contains("(422)").contains("metadata.labels: Invalid value");
        assertThat(h.events("ApiRejected")).hasSize(1);
    }

    private static Condition condition(ErlangReleaseStatus s, String type) {
        return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }
}
