package dev.relup.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.api.v1alpha1.MoveRecord;
import dev.relup.api.v1alpha1.UpgradePlan;
import dev.relup.api.v1alpha1.UpgradeStop;
import dev.relup.operator.decide.Action;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/**
 * Multi-step moves over whole passes (issue 11, the seed's 0.1.0 -> 0.3.0 whose appup only knows 0.2.0): one spec
 * edit, the route in status.plan before any pod moves, each hop built and moved hot with its own history entry, no
 * "Ready" at the hop, no pod restarted; and without an image for 0.2.0 under Hot, Degraded NoHotPath.
 */
@EnableKubernetesMockClient(crud = true)
class MultiStepPassTest {

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

    private int nodeCalls() {
        return h.nodes.calls.stream().filter(c -> !c.endsWith("which_releases")).toList().size();
    }

    @Test
    void oneEditFrom010To030GoesThrough020HotHopByHopAndEndsReady() throws Exception {
        List<String> uids = uids();
        h.cr.getSpec().setUpgradePath(List.of(new UpgradeStop("0.2.0", "ticker:0.2.0")));
        h.specVersion("0.3.0");
        int first = h.results.size();
        h.passUntil(r -> r.action() instanceof Action.StartMove, 3);
        h.packageNotCovered("0.1.0", "0.3.0", "0.2.0");

        ReleasePass.Result rerouted = h.pass();
        assertThat(rerouted.action()).isInstanceOf(Action.Reroute.class);
        ErlangReleaseStatus s = rerouted.status();
        assertThat(s.getMove().getFrom() + " -> " + s.getMove().getTo()).isEqualTo("0.1.0 -> 0.2.0");
        UpgradePlan plan = s.getPlan();
        assertThat(plan.getRoute()).as("the whole route before any pod moves").containsExactly("0.1.0", "0.2.0", "0.3.0");
        assertThat(plan.getHops()).containsExactly("0.1.0 -> 0.2.0: not built yet", "0.2.0 -> 0.3.0: not built yet");
        assertThat(plan.getRouteReason()).startsWith("0.1.0 -> 0.3.0 is not hot: ticker: the shipped appup of 0.3.0");
        assertThat(condition(s, "Progressing").getMessage()).startsWith("moving 0.1.0 -> 0.2.0, hop 1 of 2 to 0.3.0");
        assertThat(h.events("RoutePlanned")).singleElement().asString().isEqualTo("0.3.0's shipped appup for ticker "
                + "upgrades only from 0.2.0: the move goes 0.1.0 -> 0.2.0 -> 0.3.0, one hot hop at a time (0.2.0 is "
                + "ticker:0.2.0, from spec.upgradePath)");
        assertThat(nodeCalls()).isZero();

        h.packageBuilt("0.1.0", "0.2.0", ReleasePassTest.TICKER_PLAN);
        ReleasePass.Result planned = h.pass();
        assertThat(planned.action()).isInstanceOf(Action.ChooseMethod.class);
        assertThat(planned.status().getPlan().getHops().get(0)).startsWith("0.1.0 -> 0.2.0: ticker: 1 added (ticker_stats)");
        assertThat(planned.status().getPlan().getRoute()).containsExactly("0.1.0", "0.2.0", "0.3.0");
        assertThat(nodeCalls()).isZero();

        ReleasePass.Result hop = h.passUntil(r -> r.action() instanceof Action.NextHop, 60);
        ErlangReleaseStatus between = hop.status();
        assertThat(between.getHistory()).hasSize(1);
        assertThat(describe(between.getHistory().get(0))).isEqualTo("0.1.0 -> 0.2.0 Hot Succeeded");
        assertThat(between.getMove().getFrom() + " -> " + between.getMove().getTo()).isEqualTo("0.2.0 -> 0.3.0");
        assertThat(between.getLastStableVersion()).isEqualTo("0.2.0");
        assertThat(condition(between, "Ready").getStatus()).as("not done at the hop").isEqualTo("False");
        assertThat(condition(between, "Progressing").getStatus()).isEqualTo("True");
        assertThat(condition(between, "Progressing").getMessage()).startsWith("moving 0.2.0 -> 0.3.0, hop 2 of 2 to 0.3.0");
        assertThat(between.getPhase()).isNotEqualTo("Running");
        assertThat(h.events("HopSucceeded")).singleElement().asString().startsWith("0.1.0 -> 0.2.0 (Hot): every pod runs 0.2.0");
        assertThat(h.events("UpgradeSucceeded")).as("the route is not done").isEmpty();

        h.packageBuilt("0.2.0", "0.3.0");
        ReleasePass.Result end = h.passUntil(r -> r.action() instanceof Action.Idle, 60);
        ErlangReleaseStatus done = end.status();
        assertThat(done.getCurrentVersion()).isEqualTo("0.3.0");
        assertThat(condition(done, "Ready").getStatus()).isEqualTo("True");
        assertThat(done.getHistory().stream().map(MultiStepPassTest::describe).toList()).as("each hop its own entry")
                .containsExactly("0.1.0 -> 0.2.0 Hot Succeeded", "0.2.0 -> 0.3.0 Hot Succeeded");
        assertThat(done.getPlan().getRoute()).containsExactly("0.1.0", "0.2.0", "0.3.0");
        assertThat(done.getPlan().getHops().get(1)).startsWith("0.2.0 -> 0.3.0: ");
        assertThat(done.getPlan().getHops()).noneMatch(l -> l.endsWith("not built yet"));
        for (ReleasePass.Result r : h.results.subList(first, h.results.size())) {
            if ("True".equals(condition(r.status(), "Ready").getStatus())) {
                assertThat(r.status().getCurrentVersion()).as("Ready only on the target").isEqualTo("0.3.0");
            }
        }
        for (String pod : List.of("ticker-0", "ticker-1", "ticker-2")) {
            assertThat(h.calls(pod)).containsExactly(pod + " transfer 0.2.0", pod + " unpack 0.2.0", pod + " install 0.2.0",
                    pod + " make_permanent 0.2.0", pod + " copy_start_script 0.2.0", pod + " transfer 0.3.0",
                    pod + " unpack 0.3.0", pod + " install 0.3.0", pod + " make_permanent 0.3.0",
                    pod + " copy_start_script 0.3.0");
        }
        assertThat(h.events("PodRestarted")).isEmpty();
        assertThat(uids()).as("the same pods: none restarted").isEqualTo(uids);
        assertThat(h.client.apps().statefulSets().inNamespace(PassHarness.NS).withName("ticker").get().getSpec()
                .getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("ticker:0.3.0");
        assertThat(h.events("UpgradeSucceeded")).hasSize(1);
    }

    @Test
    void withoutAnImageFor020UnderHotTheMoveStopsNoHotPathUntilTheUserListsIt() throws Exception {
        h.specVersion("0.3.0");
        h.passUntil(r -> r.action() instanceof Action.StartMove, 3);
        h.packageNotCovered("0.1.0", "0.3.0", "0.2.0");
        ReleasePass.Result failed = h.passUntil(r -> r.action() instanceof Action.FailMove, 5);
        Condition degraded = condition(failed.status(), "Degraded");
        assertThat(degraded.getStatus()).isEqualTo("True");
        assertThat(degraded.getReason()).isEqualTo("NoHotPath");
        assertThat(degraded.getMessage()).isEqualTo("0.3.0's shipped appup for ticker upgrades only from 0.2.0; no image "
                + "is known for 0.2.0: list it in spec.upgradePath; strategy Hot leaves the pods on 0.1.0");
        for (int i = 0; i < 5; i++) {
            assertThat(h.pass().action()).isInstanceOf(Action.Wait.class);
        }
        assertThat(nodeCalls()).isZero();

        // the user lists 0.2.0: the next pass tries again and takes the route (same direct package, from the cache)
        h.cr.getSpec().setUpgradePath(List.of(new UpgradeStop("0.2.0", "ticker:0.2.0")));
        h.cr.getMetadata().setGeneration(h.cr.getMetadata().getGeneration() + 1);
        ReleasePass.Result rerouted = h.passUntil(r -> r.action() instanceof Action.Reroute, 5);
        assertThat(rerouted.status().getPlan().getRoute()).containsExactly("0.1.0", "0.2.0", "0.3.0");
        assertThat(nodeCalls()).isZero();
    }

    private List<String> uids() {
        return client.pods().inNamespace(PassHarness.NS).list().getItems().stream().map(p -> p.getMetadata().getUid())
                .sorted().toList();
    }

    private static String describe(MoveRecord r) {
        return r.getFrom() + " -> " + r.getTo() + " " + r.getMethod() + " " + r.getResult();
    }

    private static Condition condition(ErlangReleaseStatus s, String type) {
        return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }
}
