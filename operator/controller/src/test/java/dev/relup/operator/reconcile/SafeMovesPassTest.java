package dev.relup.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.relup.api.v1alpha1.Canary;
import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.api.v1alpha1.HealthCheck;
import dev.relup.api.v1alpha1.MoveRecord;
import dev.relup.api.v1alpha1.Rollback;
import dev.relup.operator.decide.Action;
import dev.relup.operator.node.NodeFailure;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/** Health checks, the canary's soak and rollback, over whole passes (see {@link PassHarness}). */
@EnableKubernetesMockClient(crud = true)
class SafeMovesPassTest {

    KubernetesClient client;
    @TempDir
    Path cacheDir;
    PassHarness h;

    @BeforeEach
    void runningOn010WithAHealthCheck() {
        h = new PassHarness(client, cacheDir);
        HealthCheck check = new HealthCheck();
        check.setModule("ticker_server");
        check.setFunction("health");
        h.cr.getSpec().setHealthCheck(check);
        h.pass();
        h.podsRunning("0.1.0");
        h.passUntil(r -> r.action() instanceof Action.Idle, 10);
    }

    private void upgradeTo020() throws Exception {
        h.specVersion("0.2.0");
        h.passUntil(r -> r.action() instanceof Action.StartMove, 3);
        h.packageBuilt("0.1.0", "0.2.0");
    }

    @Test
    void aPassingCheckOnEveryPodLetsTheMoveSucceedAndIsToldInEvents() throws Exception {
        upgradeTo020();
        h.passUntil(r -> r.action() instanceof Action.Idle, 60);
        for (String pod : List.of("ticker-0", "ticker-1", "ticker-2")) {
            assertThat(h.calls(pod)).endsWith(pod + " copy_start_script 0.2.0", pod + " health 0.2.0");
        }
        List<String> order = h.nodes.calls.stream().filter(c -> !c.endsWith("which_releases")).toList();
        assertThat(order.indexOf("ticker-2 health 0.2.0")).as("the canary is checked before the next pod moves")
                .isLessThan(order.indexOf("ticker-1 transfer 0.2.0"));
        assertThat(h.events("HealthCheckPassed")).hasSize(3).allMatch(m -> m.contains("ticker_server:health() answered ok"));
        assertThat(last(h.cr.getStatus()).getResult().name()).isEqualTo("Succeeded");
    }

    @Test
    void aFailingCheckOnTheCanaryUnderAutoMovesItBackAndTouchesNoOtherPodOrTriesAgain() throws Exception {
        h.nodes.health.put("ticker-2 0.2.0", "{error,{stalled,5000}}");
        h.pollOnceAndStall(); // a poller whose last answer (all on 0.1.0) predates the move: the rollback must not trust it
        upgradeTo020();
        h.passUntil(r -> r.action() instanceof Action.EndRollback, 40);
        ErlangReleaseStatus s = h.pass().status();
        assertThat(h.calls("ticker-2")).containsExactly("ticker-2 transfer 0.2.0", "ticker-2 unpack 0.2.0",
                "ticker-2 install 0.2.0", "ticker-2 make_permanent 0.2.0", "ticker-2 copy_start_script 0.2.0",
                "ticker-2 health 0.2.0", "ticker-2 install 0.1.0", "ticker-2 make_permanent 0.1.0",
                "ticker-2 copy_start_script 0.1.0");
        assertThat(h.calls("ticker-1")).isEmpty();
        assertThat(h.calls("ticker-0")).isEmpty();
        Condition degraded = condition(s, "Degraded");
        assertThat(degraded.getReason()).isEqualTo("RolledBack");
        assertThat(degraded.getMessage()).contains("ticker-2").contains("ticker_server:health()")
                .contains("{error,{stalled,5000}}").contains("rolled back to 0.1.0");
        assertThat(s.getPhase()).isEqualTo("Degraded");
        assertThat(last(s).getResult().name()).isEqualTo("RolledBack");
        assertThat(h.events("RollingBack")).singleElement().asString().contains("moving ticker-2 back to 0.1.0");
        assertThat(h.events("PodRolledBack")).singleElement().asString().contains("0.2.0 -> 0.1.0 (rollback)");

        int calls = h.nodes.calls.size();
        Instant after = h.now;
        while (h.now.isBefore(after.plusSeconds(90))) {
            assertThat(h.pass().action()).isInstanceOf(Action.Wait.class);
        }
        assertThat(h.nodes.calls.subList(calls, h.nodes.calls.size())).as("no further attempt")
                .allMatch(c -> c.endsWith("which_releases"));

        h.nodes.health.clear();
        h.cr.getMetadata().setAnnotations(Map.of("relup.dev/retry", "1"));
        h.passUntil(r -> r.action() instanceof Action.StartMove, 3);
        h.passUntil(r -> r.action() instanceof Action.Idle, 60);
        assertThat(h.cr.getStatus().getCurrentVersion()).isEqualTo("0.2.0");
    }

    @Test
    void underManualTheCanaryStaysOnTheNewVersionAndTheMoveStops() throws Exception {
        h.cr.getSpec().setRollback(Rollback.Manual);
        h.nodes.health.put("ticker-2 0.2.0", "false");
        upgradeTo020();
        ReleasePass.Result r = h.passUntil(x -> x.action() instanceof Action.FailMove, 40);
        r = h.pass();
        assertThat(condition(r.status(), "Degraded").getReason()).isEqualTo("MoveFailed");
        assertThat(condition(r.status(), "Degraded").getMessage()).contains("ticker-2").contains("answered false")
                .contains("rollback is Manual: ticker-2 stay on 0.2.0");
        assertThat(h.nodes.nodes.get("ticker-2")).containsEntry("0.2.0", "permanent");
        assertThat(h.calls("ticker-1")).isEmpty();
        assertThat(last(r.status()).getResult().name()).isEqualTo("Failed");
    }

    @Test
    void theNextPodMovesOnlyAfterTheCanarySoakedAndAFailingSoakRollsBack() throws Exception {
        Canary canary = new Canary();
        canary.setSoakSeconds(20);
        h.cr.getSpec().setCanary(canary);
        upgradeTo020();
        Map<String, Instant> firstSeen = new HashMap<>();
        while (!(h.pass().action() instanceof Action.Idle)) {
            for (String c : h.nodes.calls) {
                firstSeen.putIfAbsent(c, h.now);
            }
        }
        Duration waited = Duration.between(firstSeen.get("ticker-2 health 0.2.0"), firstSeen.get("ticker-1 transfer 0.2.0"));
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofSeconds(20));
        assertThat(h.nodes.calls.stream().filter(c -> c.equals("ticker-2 health 0.2.0")).count())
                .as("checked again during the soak").isGreaterThan(3);
        assertThat(h.events("CanarySoaking")).singleElement().asString().contains("wait 20 s");

        // back to 0.1.0: the canary's node restarts during its soak (a new boot)
        h.specVersion("0.1.0");
        h.passUntil(x -> h.nodes.calls.contains("ticker-2 copy_start_script 0.1.0"), 20);
        h.pass();
        h.nodes.beams.put("ticker-2", "2");
        ReleasePass.Result r = h.passUntil(x -> x.action() instanceof Action.EndRollback, 40);
        r = h.pass();
        assertThat(condition(r.status(), "Degraded").getMessage()).contains("canary ticker-2 restarted")
                .contains("during its soak on 0.1.0");
        assertThat(h.nodes.nodes.get("ticker-2")).containsEntry("0.2.0", "permanent");
        assertThat(h.nodes.nodes.get("ticker-1")).containsEntry("0.2.0", "permanent");
    }

    @Test
    void aNodeThatRestartedInAFailedStepIsCountedNotMovedAndTheOthersGoBack() throws Exception {
        h.cr.getSpec().setHealthCheck(null);
        upgradeTo020();
        h.passUntil(x -> h.nodes.calls.contains("ticker-2 copy_start_script 0.2.0"), 20);
        h.nodes.failSteps.put("ticker-1", new NodeFailure(NodeFailure.Kind.CODE_CHANGE_FAILED,
                "ticker-1: code_change failed in ticker_server; the node restarted and runs 0.1.0", null, true));
        h.passUntil(x -> x.action() instanceof Action.EndRollback, 40);
        ErlangReleaseStatus s = h.pass().status();
        assertThat(s.getMove().getRestartedPods()).containsExactly("ticker-1");
        assertThat(condition(s, "Degraded").getReason()).isEqualTo("RolledBack");
        assertThat(condition(s, "Degraded").getMessage()).contains("the node of ticker-1 restarted during the failed step")
                .contains("in-memory state was lost");
        assertThat(h.events("NodeRestarted")).singleElement().asString().contains("pod ticker-1");
        assertThat(h.calls("ticker-2")).contains("ticker-2 install 0.1.0");
        assertThat(h.calls("ticker-1")).doesNotContain("ticker-1 install 0.1.0");
        assertThat(h.calls("ticker-0")).isEmpty();
    }

    @Test
    void pausedTheMoveIsBuiltAndItsPlanPublishedThenNoPodIsTouchedUntilResumed() throws Exception {
        h.cr.getSpec().setPaused(true);
        upgradeTo020();
        Instant pausedAt = h.now;
        while (h.now.isBefore(pausedAt.plusSeconds(120))) {
            h.pass();
        }
        ErlangReleaseStatus s = h.cr.getStatus();
        assertThat(s.getPhase()).isEqualTo("Paused");
        assertThat(condition(s, "Progressing").getReason()).isEqualTo("AwaitingApproval");
        assertThat(condition(s, "Progressing").getMessage()).contains("paused before moving 0.1.0 -> 0.2.0")
                .contains("spec.paused");
        assertThat(s.getPlan()).as("the plan is published before the pause").isNotNull();
        assertThat(s.getPlan().getPackageSha256()).isNotNull();
        assertThat(s.getPlan().getTo()).isEqualTo("0.2.0");
        for (String pod : List.of("ticker-0", "ticker-1", "ticker-2")) {
            assertThat(h.calls(pod)).as(pod + " untouched while paused").isEmpty();
        }

        h.cr.getSpec().setPaused(false);
        h.cr.getMetadata().setGeneration(h.cr.getMetadata().getGeneration() + 1);
        h.passUntil(r -> r.action() instanceof Action.Idle, 60);
        assertThat(h.cr.getStatus().getCurrentVersion()).isEqualTo("0.2.0");
        assertThat(last(h.cr.getStatus()).getResult().name()).isEqualTo("Succeeded");
    }

    private static MoveRecord last(ErlangReleaseStatus s) {
        return s.getHistory().get(s.getHistory().size() - 1);
    }

    private static Condition condition(ErlangReleaseStatus s, String type) {
        return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }
}
