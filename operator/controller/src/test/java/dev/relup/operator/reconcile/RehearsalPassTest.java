package dev.relup.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.api.v1alpha1.Method;
import dev.relup.api.v1alpha1.Strategy;
import dev.relup.api.v1alpha1.UpgradePlan;
import dev.relup.operator.decide.Action;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/**
 * The build Job's rehearsal over whole passes: its verdict is in the package cache (real relup_rehearse output of the
 * ticker releases, in test resources) before the method is chosen, so a failed one touches no node at all.
 */
@EnableKubernetesMockClient(crud = true)
class RehearsalPassTest {

    KubernetesClient client;
    @TempDir
    Path cacheDir;
    PassHarness h;

    @BeforeEach
    void runningOn010() {
        h = new PassHarness(client, cacheDir);
        h.pass();
        h.podsRunning("0.1.0");
        h.passUntil(r -> r.action() instanceof Action.Idle, 10);
    }

    private void moveRehearsed(String to, String rehearsal) throws IOException {
        h.specVersion(to);
        h.passUntil(r -> r.action() instanceof Action.StartMove, 3);
        h.packageRehearsed("0.1.0", to, resource(rehearsal));
    }

    private int nodeCalls() {
        return h.nodes.calls.stream().filter(c -> !c.endsWith("which_releases")).toList().size();
    }

    @Test
    void aCodeChangeCrashInTheRehearsalEndsTheMoveWithoutANodeCall() throws IOException {
        moveRehearsed("0.9.0", "install-crash.json");
        ReleasePass.Result r = h.passUntil(x -> x.action() instanceof Action.FailMove, 5);
        assertThat(((Action.FailMove) r.action()).reason()).isEqualTo("RehearsalFailed");
        ErlangReleaseStatus s = h.pass().status();
        Condition degraded = s.getConditions().stream().filter(c -> "Degraded".equals(c.getType())).findFirst().orElseThrow();
        assertThat(degraded.getReason()).isEqualTo("RehearsalFailed");
        assertThat(degraded.getMessage()).contains("failed at install").contains("code_change failed in ticker_server")
                .contains("broken_on_purpose").contains("no pod was touched");
        assertThat(nodeCalls()).as("no node was called").isZero();
        assertThat(s.getPlan().getRehearsal().getResult()).isEqualTo("Failed");
        assertThat(s.getPlan().getRehearsal().getFailedStep()).isEqualTo("install");
        assertThat(h.events("RehearsalPassed")).isEmpty();
    }

    @Test
    void underAutoAFailedRehearsalIsNoReasonToRestartThePods() throws IOException {
        h.cr.getSpec().setStrategy(Strategy.Auto);
        moveRehearsed("0.9.0", "install-crash.json");
        ReleasePass.Result r = h.passUntil(x -> x.action() instanceof Action.FailMove, 5);
        assertThat(((Action.FailMove) r.action()).reason()).isEqualTo("RehearsalFailed");
        for (int i = 0; i < 20; i++) {
            assertThat(h.pass().action()).isInstanceOf(Action.Wait.class);
        }
        assertThat(nodeCalls()).isZero();
        assertThat(h.events("RestartFallback")).isEmpty();
        assertThat(h.events("PodRestarted")).isEmpty();
        assertThat(client.pods().inNamespace(PassHarness.NS).list().getItems()).hasSize(3);
    }

    @Test
    void aPassedRehearsalIsToldWithItsTimingsAndShownInThePlanBeforeAnyPodMoves() throws IOException {
        moveRehearsed("0.2.0", "passed.json");
        ReleasePass.Result r = h.passUntil(x -> x.action() instanceof Action.ChooseMethod, 5);
        assertThat(((Action.ChooseMethod) r.action()).method()).isEqualTo(Method.Hot);
        assertThat(nodeCalls()).as("the plan and the event come before any pod moves").isZero();
        UpgradePlan plan = r.status().getPlan();
        assertThat(plan.getRehearsal().getResult()).isEqualTo("Succeeded");
        assertThat(plan.getRehearsal().getSteps()).first().asString().startsWith("boot: ok in 529 ms (ticker 0.1.0 started");
        assertThat(plan.getRehearsal().getSteps()).contains("health: ok in 4 ms (ticker_server:health() answered ok)");
        assertThat(plan.getSummary()).endsWith("; rehearsal passed in 799 ms");
        assertThat(h.events("RehearsalPassed")).singleElement().asString()
                .startsWith("rehearsal of 0.1.0 -> 0.2.0 passed in 799 ms on a throwaway node: boot 529 ms, unpack 81 ms");
        h.passUntil(x -> x.action() instanceof Action.Idle, 60);
        assertThat(h.cr.getStatus().getCurrentVersion()).isEqualTo("0.2.0");
        assertThat(h.events("RehearsalPassed")).hasSize(1);
    }

    static String resource(String name) throws IOException {
        try (InputStream in = RehearsalPassTest.class.getResourceAsStream("/rehearsal/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
