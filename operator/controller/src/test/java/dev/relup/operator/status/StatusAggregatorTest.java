package dev.relup.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.relup.api.v1alpha1.ErlangReleaseSpec;
import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.api.v1alpha1.Method;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.MoveRecord;
import dev.relup.api.v1alpha1.MoveResult;
import dev.relup.api.v1alpha1.ReleaseEntry;
import dev.relup.operator.decide.Action;
import dev.relup.operator.decide.Reasons;
import dev.relup.api.v1alpha1.UpgradePlan;
import dev.relup.engine.build.BuildPlan;
import dev.relup.operator.observe.BuildObservation;
import dev.relup.operator.observe.CachedPackage;
import dev.relup.operator.observe.NodeObservation;
import dev.relup.operator.observe.NodeReadiness;
import dev.relup.operator.observe.Observation;
import dev.relup.operator.observe.PodObservation;
import io.fabric8.kubernetes.api.model.Condition;

class StatusAggregatorTest {

    private final StatusAggregator aggregator = new StatusAggregator();
    private static final Instant T1 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant T2 = Instant.parse("2025-01-01T00:05:00Z");

    private static ErlangReleaseSpec spec(String v, String image) {
        ErlangReleaseSpec s = new ErlangReleaseSpec();
        s.setRelease("ticker");
        s.setVersion(v);
        s.setImage(image);
        s.setReplicas(2);
        return s;
    }

    private static Observation onVersion(String... versions) {
        List<PodObservation> pods = new ArrayList<>();
        for (int i = 0; i < versions.length; i++) {
            pods.add(new PodObservation("t-" + i, "u" + i, i, "10.0.0." + i, "ticker:0.1.0", true, false, i, T1,
                    NodeObservation.of(List.of(new ReleaseEntry(versions[i], "permanent"))), null, null,
                    NodeReadiness.Gate.NONE));
        }
        return new Observation(true, "ticker:0.1.0", "h", pods, Optional.empty(), Optional.empty());
    }

    private static Condition cond(ErlangReleaseStatus s, String type) {
        return s.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void idleIsReadyAndKeepsTransitionTimeOnTheNextPass() {
        var pass = new StatusAggregator.PassResult(new Action.Idle(), null, List.of());
        ErlangReleaseStatus first = aggregator.aggregate(3, spec("0.1.0", "ticker:0.1.0"), null, onVersion("0.1.0", "0.1.0"), pass, T1);
        assertThat(cond(first, "Ready").getStatus()).isEqualTo("True");
        assertThat(cond(first, "Ready").getObservedGeneration()).isEqualTo(3L);
        assertThat(cond(first, "Progressing").getStatus()).isEqualTo("False");
        assertThat(cond(first, "Degraded").getStatus()).isEqualTo("False");
        assertThat(first.getPhase()).isEqualTo("Running");
        assertThat(first.getCurrentVersion()).isEqualTo("0.1.0");
        assertThat(first.getLastStableVersion()).isEqualTo("0.1.0");
        assertThat(first.getReadyPods()).isEqualTo("2/2");
        assertThat(first.getImages()).containsEntry("0.1.0", "ticker:0.1.0");
        assertThat(first.getPods()).extracting(p -> p.getRestartCount()).containsExactly(0, 1);

        ErlangReleaseStatus second = aggregator.aggregate(3, spec("0.1.0", "ticker:0.1.0"), first, onVersion("0.1.0", "0.1.0"), pass, T2);
        assertThat(cond(second, "Ready").getLastTransitionTime()).isEqualTo(T1.toString());
        assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(second))
                .isEqualTo(io.fabric8.kubernetes.client.utils.Serialization.asJson(first));
    }

    @Test
    void aMoveIsProgressingWithCountsAndFlipsTransitionTime() {
        var idle = new StatusAggregator.PassResult(new Action.Idle(), null, List.of());
        ErlangReleaseStatus before = aggregator.aggregate(3, spec("0.1.0", "ticker:0.1.0"), null, onVersion("0.1.0", "0.1.0"), idle, T1);
        Move m = new Move();
        m.setFrom("0.1.0");
        m.setTo("0.2.0");
        m.setMethod(Method.Hot);
        var moving = new StatusAggregator.PassResult(new Action.HotMove(List.of("t-0"), "0.2.0", false), m, List.of());
        ErlangReleaseStatus s = aggregator.aggregate(4, spec("0.2.0", "ticker:0.2.0"), before, onVersion("0.1.0", "0.2.0"), moving, T2);
        assertThat(cond(s, "Ready").getStatus()).isEqualTo("False");
        assertThat(cond(s, "Ready").getLastTransitionTime()).isEqualTo(T2.toString());
        assertThat(cond(s, "Progressing").getStatus()).isEqualTo("True");
        assertThat(cond(s, "Progressing").getReason()).isEqualTo(Reasons.UPGRADING);
        assertThat(cond(s, "Progressing").getMessage()).contains("0.1.0 -> 0.2.0 (Hot): 1/2 pods done");
        assertThat(s.getPhase()).isEqualTo("Upgrading");
        assertThat(s.getCurrentVersion()).isNull();
        assertThat(s.getTargetVersion()).isEqualTo("0.2.0");
        assertThat(s.getLastStableVersion()).isEqualTo("0.1.0");
        assertThat(s.getMove().getPodsDone()).as("from the observation").containsExactly("t-1");
        assertThat(s.getImages()).containsEntry("0.1.0", "ticker:0.1.0").containsEntry("0.2.0", "ticker:0.2.0");
    }

    @Test
    void aFailedMoveIsDegradedWithItsReason() {
        Move m = new Move();
        m.setFrom("0.1.0");
        m.setTo("0.9.0");
        m.setFailure("building the relup package 0.1.0 -> 0.9.0 failed: bad beam");
        m.setFailureReason(Reasons.BUILD_FAILED);
        var pass = new StatusAggregator.PassResult(new Action.Wait(Reasons.DEGRADED, m.getFailure()), m, List.of());
        ErlangReleaseStatus s = aggregator.aggregate(5, spec("0.9.0", "ticker:0.9.0"), null, onVersion("0.1.0", "0.1.0"), pass, T1);
        assertThat(cond(s, "Degraded").getStatus()).isEqualTo("True");
        assertThat(cond(s, "Degraded").getReason()).isEqualTo(Reasons.BUILD_FAILED);
        assertThat(cond(s, "Degraded").getMessage()).contains("bad beam");
        assertThat(cond(s, "Progressing").getStatus()).isEqualTo("False");
        assertThat(cond(s, "Ready").getStatus()).isEqualTo("False");
        assertThat(s.getPhase()).isEqualTo("Degraded");
        assertThat(s.getCurrentVersion()).isEqualTo("0.1.0");
    }

    private static Move unchosen(String from, String to) {
        Move m = new Move();
        m.setFrom(from);
        m.setTo(to);
        return m;
    }

    private static Observation withBuild(Observation o, BuildObservation.Phase phase) {
        return new Observation(o.statefulSetPresent(), o.templateImage(), o.workloadHash(), o.pods(),
                Optional.of(new BuildObservation("ticker-build-x", phase, null)), Optional.empty());
    }

    @Test
    void aMoveWhoseMethodIsNotChosenYetIsNotBuildingWithoutABuild() {
        // a downgrade: the move was just recorded (StartMove), nothing is built, the next pass chooses Hot
        Move m = unchosen("0.2.0", "0.1.0");
        var pass = new StatusAggregator.PassResult(new Action.StartMove(m), m, List.of());
        ErlangReleaseStatus s = aggregator.aggregate(6, spec("0.1.0", "ticker:0.1.0"), null, onVersion("0.2.0", "0.2.0"), pass, T1);
        assertThat(s.getPhase()).isEqualTo("Upgrading");
        assertThat(cond(s, "Progressing").getReason()).isEqualTo(Reasons.MOVING);

        ErlangReleaseSpec restart = spec("0.1.0", "ticker:0.1.0");
        restart.setStrategy(dev.relup.api.v1alpha1.Strategy.Restart);
        s = aggregator.aggregate(6, restart, null, onVersion("0.2.0", "0.2.0"), pass, T1);
        assertThat(s.getPhase()).isEqualTo("Restarting");
    }

    @Test
    void buildingOnlyWhileABuildJobIsCreatedRunsOrIsFetched() {
        Move m = unchosen("0.1.0", "0.2.0");
        ErlangReleaseSpec spec = spec("0.2.0", "ticker:0.2.0");
        Observation pods = onVersion("0.1.0", "0.1.0");
        var start = new StatusAggregator.PassResult(new Action.StartBuild("ticker-build-x"), m, List.of());
        assertThat(aggregator.aggregate(6, spec, null, pods, start, T1).getPhase()).isEqualTo("Building");
        var wait = new StatusAggregator.PassResult(new Action.Wait(Reasons.BUILDING, "building"), m, List.of());
        ErlangReleaseStatus s = aggregator.aggregate(6, spec, null, withBuild(pods, BuildObservation.Phase.BUILDING), wait, T1);
        assertThat(s.getPhase()).isEqualTo("Building");
        assertThat(cond(s, "Progressing").getReason()).isEqualTo(Reasons.BUILDING);
        var fetch = new StatusAggregator.PassResult(new Action.FetchPackage("ticker-build-x", "pod", "10.0.0.9", T1), m, List.of());
        assertThat(aggregator.aggregate(6, spec, null, withBuild(pods, BuildObservation.Phase.FETCHABLE), fetch, T1).getPhase())
                .isEqualTo("Building");
        // the Job is gone and nothing builds: not Building
        var other = new StatusAggregator.PassResult(new Action.Wait(Reasons.NODES_STARTING, "waiting"), m, List.of());
        assertThat(aggregator.aggregate(6, spec, null, withBuild(pods, BuildObservation.Phase.DONE), other, T1).getPhase())
                .isEqualTo("Upgrading");
    }

    @Test
    void historyIsBounded() {
        List<MoveRecord> h = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            h.add(new MoveRecord("a", "b" + i, Method.Hot, "s", "e", MoveResult.Succeeded, null));
        }
        var pass = new StatusAggregator.PassResult(new Action.Idle(), null, h);
        ErlangReleaseStatus s = aggregator.aggregate(1, spec("0.1.0", "ticker:0.1.0"), null, onVersion("0.1.0", "0.1.0"), pass, T1);
        assertThat(s.getHistory()).hasSize(ErlangReleaseStatus.HISTORY_LIMIT);
        assertThat(s.getHistory().get(ErlangReleaseStatus.HISTORY_LIMIT - 1).getTo()).isEqualTo("b29");
    }

    private static CachedPackage tickerPackage() {
        BuildPlan plan = new BuildPlan(List.of(new BuildPlan.App("ticker", "0.1.0", "0.2.0", "generated", List.of(
                new BuildPlan.Instruction("add", "ticker_stats", "gen_server", null, null),
                new BuildPlan.Instruction("code_change", "ticker_server", "gen_server", "soft", null),
                new BuildPlan.Instruction("start_child", "ticker_sup", null, null, "ticker_stats")))), 10);
        return new CachedPackage(java.nio.file.Path.of("/cache/p.tar.gz"), "abc123", "ticker", "0.1.0", "0.2.0", true,
                List.of(), 1658061L, plan);
    }

    @Test
    void thePlanIsPublishedWhenThePackageIsFetchedKeptDuringTheMoveAndAfterIt() {
        ErlangReleaseSpec spec = spec("0.2.0", "ticker:0.2.0");
        Observation pods = onVersion("0.1.0", "0.1.0");
        Move m = unchosen("0.1.0", "0.2.0");
        var fetch = new StatusAggregator.PassResult(new Action.FetchPackage("ticker-build-x", "pod", "10.0.0.9", T1), m, List.of(),
                Optional.of(tickerPackage()), null);
        ErlangReleaseStatus fetched = aggregator.aggregate(6, spec, null, pods, fetch, T1);
        UpgradePlan plan = fetched.getPlan();
        assertThat(plan.getFrom() + " " + plan.getTo() + " " + plan.getHot() + " " + plan.getPackageSize() + " "
                + plan.getPackageSha256() + " " + plan.getRelupInstructions()).isEqualTo("0.1.0 0.2.0 true 1658061 abc123 10");
        assertThat(plan.getApps()).singleElement().satisfies(a -> assertThat(a.getInstructions()).containsExactly(
                "ticker_stats (gen_server): added", "ticker_server (gen_server): code_change, soft purge",
                "ticker_sup: child ticker_stats started"));
        assertThat(plan.getSummary()).isEqualTo("0.1.0 -> 0.2.0: ticker: 1 added (ticker_stats), 1 updated with "
                + "code_change (ticker_server), 1 child started (ticker_stats); soft purge");

        Observation cached = new Observation(true, "ticker:0.1.0", "h", pods.pods(), Optional.empty(),
                Optional.of(tickerPackage()));
        var moving = new StatusAggregator.PassResult(new Action.HotMove(List.of("t-0"), "0.2.0", false), m, List.of());
        ErlangReleaseStatus during = aggregator.aggregate(6, spec, fetched, cached, moving, T2);
        assertThat(during.getPlan()).usingRecursiveComparison().isEqualTo(plan);
        // the package left the cache: what was published stays while the move runs
        assertThat(aggregator.aggregate(6, spec, during, pods, moving, T2).getPlan()).isSameAs(during.getPlan());

        var idle = new StatusAggregator.PassResult(new Action.Idle(), null, List.of());
        ErlangReleaseStatus after = aggregator.aggregate(6, spec, during, onVersion("0.2.0", "0.2.0"), idle, T2);
        assertThat(after.getPlan()).as("the last plan stays").isSameAs(during.getPlan());
        var next = new StatusAggregator.PassResult(new Action.StartBuild("ticker-build-y"), unchosen("0.2.0", "0.3.0"),
                List.of());
        assertThat(aggregator.aggregate(7, spec("0.3.0", "ticker:0.3.0"), after, onVersion("0.2.0", "0.2.0"), next, T2)
                .getPlan()).as("another move: no plan until its package is there").isNull();
    }

    @Test
    void aReportWithoutPlanStillTellsFromToHotAndPackage() {
        CachedPackage old = new CachedPackage(java.nio.file.Path.of("/p"), "ab", "ticker", "0.1.0", "0.2.0", false,
                List.of("erts changes"), 5L, null);
        UpgradePlan p = PlanView.of(old);
        assertThat(p.getHot()).isFalse();
        assertThat(p.getApps()).isEmpty();
        assertThat(p.getSummary()).isEqualTo("0.1.0 -> 0.2.0 (not hot: erts changes): no plan in the build report (an older builder)");
    }
}
