package dev.relup.operator.decide;

import static dev.relup.operator.decide.Fixtures.IMG1;
import static dev.relup.operator.decide.Fixtures.IMG2;
import static dev.relup.operator.decide.Fixtures.NOW;
import static dev.relup.operator.decide.Fixtures.input;
import static dev.relup.operator.decide.Fixtures.move;
import static dev.relup.operator.decide.Fixtures.node;
import static dev.relup.operator.decide.Fixtures.pkg;
import static dev.relup.operator.decide.Fixtures.pod;
import static dev.relup.operator.decide.Fixtures.spec;
import static dev.relup.operator.decide.Fixtures.status;
import static dev.relup.operator.decide.Fixtures.unreadyPod;
import static dev.relup.operator.decide.Fixtures.withBuild;
import static dev.relup.operator.decide.Fixtures.withPackage;
import static dev.relup.operator.decide.Fixtures.world;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.api.v1alpha1.Method;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.MoveResult;
import dev.relup.api.v1alpha1.Strategy;
import dev.relup.operator.packaging.BuildNames;
import dev.relup.operator.decide.Action.ApplyWorkload;
import dev.relup.operator.decide.Action.ChooseMethod;
import dev.relup.operator.decide.Action.DeletePods;
import dev.relup.operator.decide.Action.FailMove;
import dev.relup.operator.decide.Action.FetchPackage;
import dev.relup.operator.decide.Action.FinishMove;
import dev.relup.operator.decide.Action.HotMove;
import dev.relup.operator.decide.Action.Idle;
import dev.relup.operator.decide.Action.StartBuild;
import dev.relup.operator.decide.Action.StartMove;
import dev.relup.operator.decide.Action.Wait;
import dev.relup.operator.observe.BuildObservation;
import dev.relup.operator.observe.NodeObservation;
import dev.relup.operator.observe.NodeReadiness;
import dev.relup.operator.observe.Observation;
import dev.relup.operator.observe.PodObservation;

class DeciderTest {

    private final Decider decider = new Decider();

    private Action decide(Decider.Input in) {
        return decider.decide(in);
    }

    private static final NodeObservation ON_1 = node("0.1.0:permanent");
    private static final NodeObservation ON_2 = node("0.2.0:permanent", "0.1.0:old");

    @Nested
    class Create {
        @Test
        void noStatefulSetCreatesTheWorkloadOnTheSpecImage() {
            Observation obs = new Observation(false, null, null, List.of(), Optional.empty(), Optional.empty());
            Action a = decide(input(spec("0.1.0", IMG1, 3, Strategy.Auto), null, obs));
            assertThat(a).isInstanceOf(ApplyWorkload.class);
            assertThat(((ApplyWorkload) a).templateImage()).isEqualTo(IMG1);
        }

        @Test
        void waitsWhilePodsAreMissing() {
            Action a = decide(input(spec("0.1.0", IMG1, 3, Strategy.Auto), null, world(IMG1, pod(0, IMG1, ON_1))));
            assertThat(a).isInstanceOf(Wait.class);
            assertThat(((Wait) a).reason()).isEqualTo(Reasons.PODS_STARTING);
        }

        @Test
        void waitsForNodesThatDoNotAnswerYetInsteadOfStartingAMove() {
            Observation obs = world(IMG1, unreadyPod(0, IMG1, NodeObservation.unreachable("epmd: no such node"),
                    NOW.minusSeconds(30)), pod(1, IMG1, ON_1), pod(2, IMG1, ON_1));
            Action a = decide(input(spec("0.1.0", IMG1, 3, Strategy.Auto), null, obs));
            assertThat(a).isInstanceOf(Wait.class);
            assertThat(((Wait) a).message()).contains("t-0").contains("epmd: no such node");
        }

        @Test
        void theReadinessGateFollowsWhetherTheNodeServes() {
            var booted = new PodObservation("t-0", "u0", 0, "10.0.0.1", IMG1, true, false, 0, NOW, ON_1, null, null,
                    new NodeReadiness.Gate(true, null));
            var booting = new PodObservation("t-1", "u1", 1, "10.0.0.2", IMG1, true, false, 0, NOW,
                    new NodeObservation(true, ON_1.releases(), true, false, null, null), null, null, new NodeReadiness.Gate(true, true));
            var set = new PodObservation("t-2", "u2", 2, "10.0.0.3", IMG1, true, false, 0, NOW, ON_1, null, null,
                    new NodeReadiness.Gate(true, true));
            Action a = decide(input(spec("0.1.0", IMG1, 3, Strategy.Auto), null, world(IMG1, booted, booting, set)));
            assertThat(a).isEqualTo(new Action.SetNodeReady(java.util.Map.of("t-0", true, "t-1", false)));
        }

        @Test
        void aNodeThatNeverAnsweredIsDegradedAfterThePodReadyDeadline() {
            Observation obs = world(IMG1, unreadyPod(0, IMG1, NodeObservation.unreachable("UNREACHABLE: t-0: no epmd"),
                    NOW.minus(java.time.Duration.ofMinutes(6))), pod(1, IMG1, ON_1), pod(2, IMG1, ON_1));
            Action a = decide(input(spec("0.1.0", IMG1, 3, Strategy.Auto), null, obs));
            assertThat(a).isInstanceOf(Action.Stuck.class);
            assertThat(((Action.Stuck) a).reason()).isEqualTo(Reasons.NODES_NOT_ANSWERING);
            assertThat(((Action.Stuck) a).message()).contains("pod t-0").contains("after 5 min").contains("no epmd");
        }

        @Test
        void aPodThatCannotStartIsDegradedAtOnceWithTheKubeletsReason() {
            String pull = "Init:ImagePullBackOff (container seed, image ticker:0.7.0): Back-off pulling image";
            PodObservation pulling = new PodObservation("t-0", "u0", 0, null, "ticker:0.7.0", false, false, 0,
                    NOW.minusSeconds(20), NodeObservation.unreachable(pull), null, pull, NodeReadiness.Gate.NONE);
            Action a = decide(input(spec("0.7.0", "ticker:0.7.0", 1, Strategy.Auto), null, world("ticker:0.7.0", pulling)));
            assertThat(a).isEqualTo(new Action.Stuck(Reasons.PODS_FAILING, "pod t-0: " + pull));
            assertThat(a.pace()).isEqualTo(Action.Pace.WAITING);
        }

        @Test
        void idleWhenAllPodsRunTheDesiredVersionPermanently() {
            Observation obs = world(IMG1, pod(0, IMG1, ON_1), pod(1, IMG1, ON_1), pod(2, IMG1, ON_1));
            assertThat(decide(input(spec("0.1.0", IMG1, 3, Strategy.Auto), null, obs))).isInstanceOf(Idle.class);
        }

        @Test
        void settingsDriftReappliesTheWorkloadKeepingTheTemplateImage() {
            Observation obs = new Observation(true, IMG1, "old-hash", List.of(pod(0, IMG1, ON_1)), Optional.empty(), Optional.empty());
            Action a = decide(input(spec("0.2.0", IMG2, 1, Strategy.Auto), null, obs));
            assertThat(a).isEqualTo(new ApplyWorkload(IMG1, "the spec's pod settings or replicas changed"));
        }

        @Test
        void podsOnlyBeyondReplicasAreIgnored() {
            Observation obs = world(IMG1, pod(0, IMG1, ON_1), pod(1, IMG1, node("0.0.9:permanent")));
            assertThat(decide(input(spec("0.1.0", IMG1, 1, Strategy.Auto), null, obs))).isInstanceOf(Idle.class);
        }
    }

    @Nested
    class VersionChange {
        @Test
        void startsAMoveRecordingIntentFirst() {
            Observation obs = world(IMG1, pod(0, IMG1, ON_1), pod(1, IMG1, ON_1), pod(2, IMG1, ON_1));
            ErlangReleaseStatus st = new ErlangReleaseStatus();
            st.getImages().put("0.1.0", IMG1);
            Action a = decide(input(spec("0.2.0", IMG2, 3, Strategy.Auto), st, obs));
            assertThat(a).isInstanceOf(StartMove.class);
            Move m = ((StartMove) a).move();
            assertThat(m.getFrom()).isEqualTo("0.1.0");
            assertThat(m.getTo()).isEqualTo("0.2.0");
            assertThat(m.getFromImage()).isEqualTo(IMG1);
            assertThat(m.getToImage()).isEqualTo(IMG2);
            assertThat(m.getMethod()).isNull();
            assertThat(m.getGeneration()).isEqualTo(2L);
            assertThat(m.getStartedAt()).isEqualTo(NOW.toString());
        }

        @Test
        void aMoveWithoutPackageStartsTheBuildJob() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            Observation obs = world(IMG1, pod(0, IMG1, ON_1), pod(1, IMG1, ON_1));
            Action a = decide(input(spec("0.2.0", IMG2, 2, Strategy.Auto), status(m), obs));
            assertThat(a).isEqualTo(new StartBuild(BuildNames.jobName("t", m, null)));
        }

        @Test
        void waitsWhileBuildingThenFetches() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            String job = BuildNames.jobName("t", m, null);
            Observation obs = world(IMG1, pod(0, IMG1, ON_1));
            Action building = decide(input(spec("0.2.0", IMG2, 1, Strategy.Auto), status(m),
                    withBuild(obs, new BuildObservation(job, BuildObservation.Phase.BUILDING, null))));
            assertThat(building).isInstanceOf(Wait.class);
            assertThat(((Wait) building).reason()).isEqualTo(Reasons.BUILDING);
            Action fetch = decide(input(spec("0.2.0", IMG2, 1, Strategy.Auto), status(m),
                    withBuild(obs, new BuildObservation(job, BuildObservation.Phase.FETCHABLE, null, "job-pod", "10.0.0.9",
                            java.time.Instant.parse("2026-12-01T10:00:00Z")))));
            assertThat(fetch).isEqualTo(new FetchPackage(job, "job-pod", "10.0.0.9",
                    java.time.Instant.parse("2026-12-01T10:00:00Z")));
        }

        @Test
        void aJobOfAnotherMoveIsNotMistakenForOurs() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            Observation obs = withBuild(world(IMG1, pod(0, IMG1, ON_1)),
                    new BuildObservation("t-relup-other", BuildObservation.Phase.FETCHABLE, null));
            assertThat(decide(input(spec("0.2.0", IMG2, 1, Strategy.Auto), status(m), obs))).isInstanceOf(StartBuild.class);
        }

        @Test
        void aHotPackageChoosesHot() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            Observation obs = withPackage(world(IMG1, pod(0, IMG1, ON_1)), pkg("0.1.0", "0.2.0", true));
            Action a = decide(input(spec("0.2.0", IMG2, 1, Strategy.Hot), status(m), obs));
            assertThat(a).isInstanceOf(ChooseMethod.class);
            assertThat(((ChooseMethod) a).method()).isEqualTo(Method.Hot);
            assertThat(((ChooseMethod) a).fallback()).isFalse();
        }

        @Test
        void canaryFirstHighestOrdinalThenBatches() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            m.setMethod(Method.Hot);
            m.setPackageSha256("abc123");
            var spec = spec("0.2.0", IMG2, 4, Strategy.Auto);
            spec.setBatchSize(2);
            Observation before = withPackage(world(IMG1, pod(0, IMG1, ON_1), pod(1, IMG1, ON_1), pod(2, IMG1, ON_1),
                    pod(3, IMG1, ON_1)), pkg("0.1.0", "0.2.0", true));
            assertThat(decide(input(spec, status(m), before))).isEqualTo(new HotMove(List.of("t-3"), "0.2.0", true));

            m.getPodsDone().add("t-3");
            Observation after = withPackage(world(IMG1, pod(0, IMG1, ON_1), pod(1, IMG1, ON_1), pod(2, IMG1, ON_1),
                    pod(3, IMG1, ON_2)), pkg("0.1.0", "0.2.0", true));
            assertThat(decide(input(spec, status(m), after))).isEqualTo(new HotMove(List.of("t-2", "t-1"), "0.2.0", false));
        }

        @Test
        void aPodInstalledButNotPermanentIsStillPendingAndMovedWithoutANewPackage() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            m.setMethod(Method.Hot);
            Observation obs = world(IMG1, pod(0, IMG1, node("0.2.0:current", "0.1.0:permanent")));
            assertThat(decide(input(spec("0.2.0", IMG2, 1, Strategy.Hot), status(m), obs)))
                    .isEqualTo(new HotMove(List.of("t-0"), "0.2.0", true));
        }

        @Test
        void waitsForAnUnreachableNodeBeforeTouchingIt() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            m.setMethod(Method.Hot);
            Observation obs = withPackage(world(IMG1, pod(0, IMG1, NodeObservation.unreachable("timeout"))),
                    pkg("0.1.0", "0.2.0", true));
            Action a = decide(input(spec("0.2.0", IMG2, 1, Strategy.Hot), status(m), obs));
            assertThat(a).isInstanceOf(Wait.class);
            assertThat(((Wait) a).reason()).isEqualTo(Reasons.NODE_UNREACHABLE);
        }

        @Test
        void allPodsMovedThenTemplateMovesThenMoveFinishes() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            m.setMethod(Method.Hot);
            Observation moved = world(IMG1, pod(0, IMG1, ON_2), pod(1, IMG1, ON_2));
            var spec = spec("0.2.0", IMG2, 2, Strategy.Auto);
            Action a = decide(input(spec, status(m), moved));
            assertThat(a).isInstanceOf(ApplyWorkload.class);
            assertThat(((ApplyWorkload) a).templateImage()).isEqualTo(IMG2);

            Observation templated = world(IMG2, pod(0, IMG1, ON_2), pod(1, IMG1, ON_2));
            Action f = decide(input(spec, status(m), templated));
            assertThat(f).isInstanceOf(FinishMove.class);
            assertThat(((FinishMove) f).result()).isEqualTo(MoveResult.Succeeded);
        }

        @Test
        void lostPackageIsRebuilt() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            m.setMethod(Method.Hot);
            m.setPackageSha256("abc123");
            m.setBuildJob("whatever");
            String job = BuildNames.jobName("t", m, null);
            // operator restarted with an empty cache; the Job already finished its wait
            Observation obs = withBuild(world(IMG1, pod(0, IMG1, ON_2), pod(1, IMG1, ON_1)),
                    new BuildObservation(job, BuildObservation.Phase.DONE, null));
            assertThat(decide(input(spec("0.2.0", IMG2, 2, Strategy.Auto), status(m), obs))).isEqualTo(new StartBuild(job));
        }

        @Test
        void aPackageWithAnotherShaThanRecordedIsNotUsed() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            m.setMethod(Method.Hot);
            m.setPackageSha256("something-else");
            Observation obs = withPackage(world(IMG1, pod(0, IMG1, ON_1)), pkg("0.1.0", "0.2.0", true));
            assertThat(decide(input(spec("0.2.0", IMG2, 1, Strategy.Auto), status(m), obs))).isInstanceOf(StartBuild.class);
        }

        @Test
        void specChangedMidMoveSupersedesIt() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            m.setMethod(Method.Hot);
            Observation obs = world(IMG1, pod(0, IMG1, ON_2), pod(1, IMG1, ON_1));
            Action a = decide(input(spec("0.1.0", IMG1, 2, Strategy.Auto), status(m), obs));
            assertThat(a).isInstanceOf(FinishMove.class);
            assertThat(((FinishMove) a).result()).isEqualTo(MoveResult.Superseded);
        }
    }

    @Nested
    class Downgrade {
        @Test
        void targetStillInstalledOnEveryNodeNeedsNoBuild() {
            Move m = move("0.2.0", "0.1.0", IMG2, IMG1);
            Observation obs = world(IMG2, pod(0, IMG1, ON_2), pod(1, IMG1, ON_2));
            Action a = decide(input(spec("0.1.0", IMG1, 2, Strategy.Hot), status(m), obs));
            assertThat(a).isInstanceOf(ChooseMethod.class);
            assertThat(((ChooseMethod) a).method()).isEqualTo(Method.Hot);
        }

        @Test
        void hotDowngradeMovesPodsWithoutAPackage() {
            Move m = move("0.2.0", "0.1.0", IMG2, IMG1);
            m.setMethod(Method.Hot);
            Observation obs = world(IMG2, pod(0, IMG1, ON_2), pod(1, IMG1, ON_2));
            assertThat(decide(input(spec("0.1.0", IMG1, 2, Strategy.Hot), status(m), obs)))
                    .isEqualTo(new HotMove(List.of("t-1"), "0.1.0", true));
        }

        @Test
        void aPodRecreatedWithoutTheTargetNeedsAPackage() {
            Move m = move("0.2.0", "0.1.0", IMG2, IMG1);
            Observation obs = world(IMG2, pod(0, IMG1, ON_2), pod(1, IMG2, node("0.2.0:permanent")));
            assertThat(decide(input(spec("0.1.0", IMG1, 2, Strategy.Auto), status(m), obs))).isInstanceOf(StartBuild.class);
        }
    }

    @Nested
    class Convergence {
        @Test
        void aPodBackOnAnotherVersionStartsAMoveFromItsVersion() {
            ErlangReleaseStatus st = new ErlangReleaseStatus();
            st.getImages().put("0.1.0", IMG1);
            st.getImages().put("0.2.0", IMG2);
            Observation obs = world(IMG2, pod(0, IMG1, ON_2), pod(1, IMG1, ON_1), pod(2, IMG1, ON_2));
            Action a = decide(input(spec("0.2.0", IMG2, 3, Strategy.Auto), st, obs));
            assertThat(a).isInstanceOf(StartMove.class);
            assertThat(((StartMove) a).move().getFrom()).isEqualTo("0.1.0");
            assertThat(((StartMove) a).move().getFromImage()).isEqualTo(IMG1);
        }

        @Test
        void allPodsAlreadyOnTargetAfterARestartFinishesWithoutAnyInstall() {
            // the operator died after installing on every pod but before recording it
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            m.setMethod(Method.Hot);
            Observation obs = world(IMG2, pod(0, IMG1, ON_2), pod(1, IMG1, ON_2));
            Action a = decide(input(spec("0.2.0", IMG2, 2, Strategy.Hot), status(m), obs));
            assertThat(a).isInstanceOf(FinishMove.class);
        }

        @Test
        void podsOnAThirdVersionWaitForTheNextMove() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            m.setMethod(Method.Hot);
            Observation obs = world(IMG1, pod(0, IMG1, ON_2), pod(1, IMG1, node("0.0.5:permanent")));
            Action a = decide(input(spec("0.2.0", IMG2, 2, Strategy.Auto), status(m), obs));
            assertThat(a).isInstanceOf(FinishMove.class);
            assertThat(((FinishMove) a).message()).contains("next move");
        }
    }

    @Nested
    class NotHot {
        @Test
        void autoFallsBackToRestartWhenTheBuildSaysNotHot() {
            Move m = move("0.1.0", "0.3.0", IMG1, "ticker:0.3.0");
            Observation obs = withPackage(world(IMG1, pod(0, IMG1, ON_1)), pkg("0.1.0", "0.3.0", false, "erts differs"));
            Action a = decide(input(spec("0.3.0", "ticker:0.3.0", 1, Strategy.Auto), status(m), obs));
            assertThat(a).isInstanceOf(ChooseMethod.class);
            ChooseMethod c = (ChooseMethod) a;
            assertThat(c.method()).isEqualTo(Method.Restart);
            assertThat(c.fallback()).isTrue();
            assertThat(c.message()).contains("erts differs");
        }

        @Test
        void hotStrategyFailsWithTheReasonAndLeavesPodsAlone() {
            Move m = move("0.1.0", "0.3.0", IMG1, "ticker:0.3.0");
            Observation obs = withPackage(world(IMG1, pod(0, IMG1, ON_1)), pkg("0.1.0", "0.3.0", false, "no relup from 0.1.0"));
            Action a = decide(input(spec("0.3.0", "ticker:0.3.0", 1, Strategy.Hot), status(m), obs));
            assertThat(a).isInstanceOf(FailMove.class);
            assertThat(((FailMove) a).reason()).isEqualTo(Reasons.NOT_HOT_UPGRADABLE);
            assertThat(((FailMove) a).message()).contains("no relup from 0.1.0").contains("strategy Hot");
        }

        @ParameterizedTest
        @EnumSource(value = Strategy.class, names = {"Auto", "Hot"}) // Restart never builds: restartNeverBuilds
        void aFailedBuildIsDegradedWithTheBuildersMessage(Strategy strategy) {
            Move m = move("0.1.0", "0.9.0", IMG1, "ticker:0.9.0");
            String job = BuildNames.jobName("t", m, null);
            Observation obs = withBuild(world(IMG1, pod(0, IMG1, ON_1)),
                    new BuildObservation(job, BuildObservation.Phase.FAILED, "relup_builder: ticker_server.beam: cannot read"));
            Action a = decide(input(spec("0.9.0", "ticker:0.9.0", 1, strategy), status(m), obs));
            assertThat(a).isInstanceOf(FailMove.class);
            assertThat(((FailMove) a).reason()).isEqualTo(Reasons.BUILD_FAILED);
            assertThat(((FailMove) a).message()).contains("cannot read").contains("keep running 0.1.0");
        }

        @Test
        void aFailedMoveStaysDegradedUntilTheSpecChanges() {
            Move m = move("0.1.0", "0.9.0", IMG1, "ticker:0.9.0");
            m.setFailure("build failed");
            m.setFailureReason(Reasons.BUILD_FAILED);
            Observation obs = world(IMG1, pod(0, IMG1, ON_1));
            Action same = decide(input(spec("0.9.0", "ticker:0.9.0", 1, Strategy.Auto), status(m), obs));
            assertThat(same).isInstanceOf(Wait.class);
            assertThat(((Wait) same).reason()).isEqualTo(Reasons.DEGRADED);

            Action back = decide(input(spec("0.1.0", IMG1, 1, Strategy.Auto), status(m), obs));
            assertThat(back).isInstanceOf(FinishMove.class);
            assertThat(((FinishMove) back).result()).isEqualTo(MoveResult.Failed);
        }

        @Test
        void aNotHotPodFailureFallsBackUnderAutoAndFailsUnderHot() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            m.setMethod(Method.Hot);
            m.setLastErrorKind("CODE_CHANGE_FAILED");
            m.setLastError("t-0: code_change of ticker_server crashed; the node restarted on 0.1.0");
            Observation obs = withPackage(world(IMG1, pod(0, IMG1, ON_1)), pkg("0.1.0", "0.2.0", true));
            Action auto = decide(input(spec("0.2.0", IMG2, 1, Strategy.Auto), status(m), obs));
            assertThat(auto).isInstanceOf(ChooseMethod.class);
            assertThat(((ChooseMethod) auto).method()).isEqualTo(Method.Restart);
            Action hot = decide(input(spec("0.2.0", IMG2, 1, Strategy.Hot), status(m), obs));
            assertThat(hot).isInstanceOf(FailMove.class);
            assertThat(((FailMove) hot).message()).contains("code_change");
        }

        @Test
        void aSoftPurgeRefusalFailsTheMoveUnderEveryStrategyWithoutARestart() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            m.setMethod(Method.Hot);
            m.setLastErrorKind("OLD_PROCESSES");
            m.setLastError("t-0: soft purge refused to install 0.2.0: old code of ticker_app still runs in 1 process: "
                    + "<0.294.0> in ticker_app:linger/0; nothing was installed and the unpacked 0.2.0 was removed. "
                    + "To let it through, end those processes or purge ticker_app brutally (kills them): "
                    + "spec.purge.modules: {ticker_app: brutal}");
            m.setRetryAt(NOW.plusSeconds(60).toString());
            Observation obs = withPackage(world(IMG1, pod(0, IMG1, ON_1)), pkg("0.1.0", "0.2.0", true));
            for (Strategy strategy : new Strategy[] {Strategy.Auto, Strategy.Hot}) {
                Action a = decide(input(spec("0.2.0", IMG2, 1, strategy), status(m), obs));
                assertThat(a).as(strategy.name()).isInstanceOf(FailMove.class);
                assertThat(((FailMove) a).reason()).isEqualTo(Reasons.OLD_PROCESSES);
                assertThat(((FailMove) a).message()).contains("ticker_app", "<0.294.0>", "ticker_app:linger/0",
                        "spec.purge.modules: {ticker_app: brutal}");
            }
        }

        @Test
        void aTransientPodFailureIsRetried() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            m.setMethod(Method.Hot);
            m.setPackageSha256("abc123");
            m.setLastErrorKind("TIMEOUT");
            m.setLastError("t-0: install_release timed out");
            Observation obs = withPackage(world(IMG1, pod(0, IMG1, ON_1)), pkg("0.1.0", "0.2.0", true));
            assertThat(decide(input(spec("0.2.0", IMG2, 1, Strategy.Hot), status(m), obs))).isInstanceOf(HotMove.class);
        }

        @Test
        void anImageHoldingAnotherVersionIsReported() {
            Move m = move("0.1.0", "0.2.0", IMG1, "ticker:wrong");
            Observation obs = withPackage(world(IMG1, pod(0, IMG1, ON_1)), pkg("0.1.0", "0.1.5", true));
            Action a = decide(input(spec("0.2.0", "ticker:wrong", 1, Strategy.Auto), status(m), obs));
            assertThat(a).isInstanceOf(FailMove.class);
            assertThat(((FailMove) a).reason()).isEqualTo(Reasons.IMAGE_VERSION_MISMATCH);
        }
    }

    @Nested
    class Restart {
        private Move restartMove() {
            Move m = move("0.1.0", "0.3.0", IMG1, "ticker:0.3.0");
            m.setMethod(Method.Restart);
            return m;
        }

        @Test
        void restartNeverBuilds() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            Action a = decide(input(spec("0.2.0", IMG2, 1, Strategy.Restart), status(m), world(IMG1, pod(0, IMG1, ON_1))));
            assertThat(a).isEqualTo(new ChooseMethod(Method.Restart, Reasons.RESTARTING, "strategy Restart", false));
        }

        @Test
        void aFailedRestartMovePutsTheTemplateBackOnTheLastStableImageThenWaits() {
            Move m = restartMove();
            m.setFailure("pod t-1 ... not Ready");
            m.setFailureReason(Reasons.MOVE_TIMED_OUT);
            m.setGeneration(2L);
            var spec = spec("0.3.0", "ticker:0.3.0", 2, Strategy.Auto);
            Observation onBadImage = world("ticker:0.3.0", pod(0, IMG1, ON_1), pod(1, "ticker:0.3.0", NodeObservation.unreachable("crash loop")));
            assertThat(decide(input(spec, status(m), onBadImage))).isEqualTo(new ApplyWorkload(IMG1,
                    "the failed move's image goes back to the last stable one, ticker:0.1.0 (0.1.0)"));
            Observation back = world(IMG1, pod(0, IMG1, ON_1), pod(1, "ticker:0.3.0", NodeObservation.unreachable("crash loop")));
            assertThat(decide(input(spec, status(m), back))).isInstanceOf(Wait.class);
        }

        @Test
        void templateMovesFirst() {
            Action a = decide(input(spec("0.3.0", "ticker:0.3.0", 2, Strategy.Auto), status(restartMove()),
                    world(IMG1, pod(0, IMG1, ON_1), pod(1, IMG1, ON_1))));
            assertThat(a).isEqualTo(new ApplyWorkload("ticker:0.3.0",
                    "restart: the pod template moves to ticker:0.3.0 first"));
        }

        @Test
        void deletesOnePodThenWaitsForItThenTheNext() {
            var spec = spec("0.3.0", "ticker:0.3.0", 3, Strategy.Auto);
            spec.setBatchSize(2);
            Action first = decide(input(spec, status(restartMove()),
                    world("ticker:0.3.0", pod(0, IMG1, ON_1), pod(1, IMG1, ON_1), pod(2, IMG1, ON_1))));
            assertThat(first).isEqualTo(new DeletePods(List.of("t-2"), true));

            Action waiting = decide(input(spec, status(restartMove()), world("ticker:0.3.0", pod(0, IMG1, ON_1),
                    pod(1, IMG1, ON_1), unreadyPod(2, "ticker:0.3.0", NodeObservation.unreachable("starting"), NOW))));
            assertThat(waiting).isInstanceOf(Wait.class);

            Action rest = decide(input(spec, status(restartMove()), world("ticker:0.3.0", pod(0, IMG1, ON_1),
                    pod(1, IMG1, ON_1), pod(2, "ticker:0.3.0", node("0.3.0:permanent")))));
            assertThat(rest).isEqualTo(new DeletePods(List.of("t-1", "t-0"), false));
        }

        @Test
        void unreadyPodsOnTheOldImageGoFirst() {
            Action a = decide(input(spec("0.3.0", "ticker:0.3.0", 3, Strategy.Restart), status(restartMove()),
                    world("ticker:0.3.0", unreadyPod(0, IMG1, NodeObservation.unreachable("crash"), Fixtures.T0),
                            pod(1, IMG1, ON_1), pod(2, IMG1, ON_1))));
            assertThat(a).isEqualTo(new DeletePods(List.of("t-0"), true));
        }

        @Test
        void aRecreatedPodOnAnotherVersionFailsTheMove() {
            var recreated = new dev.relup.operator.observe.PodObservation("t-0", "new", 0, "10.0.0.9", "ticker:0.3.0",
                    true, false, 0, NOW, node("0.2.5:permanent"), null, null, NodeReadiness.Gate.NONE);
            Action a = decide(input(spec("0.3.0", "ticker:0.3.0", 1, Strategy.Restart), status(restartMove()),
                    world("ticker:0.3.0", recreated)));
            assertThat(a).isInstanceOf(FailMove.class);
            assertThat(((FailMove) a).reason()).isEqualTo(Reasons.IMAGE_VERSION_MISMATCH);
        }
    }


    /** Deadlines of a move; the clock is the Input's {@code now}, moved by the test. */
    @Nested
    class Deadlines {
        private final java.time.Instant started = Fixtures.T0.plusSeconds(60); // move(...) starts here

        private Decider.Input at(java.time.Instant now, dev.relup.api.v1alpha1.ErlangReleaseSpec spec, Move m, Observation obs) {
            return new Decider.Input("t", 2L, spec, status(m), obs, Fixtures.HASH, now);
        }

        @Test
        void aRecreatedPodThatNeverBecomesReadyFailsTheMoveAfterThePodReadyTimeout() {
            Move m = move("0.1.0", "0.3.0", IMG1, "ticker:0.3.0");
            m.setMethod(Method.Restart);
            var spec = spec("0.3.0", "ticker:0.3.0", 3, Strategy.Restart);
            java.time.Instant created = started.plusSeconds(30);
            Observation obs = world("ticker:0.3.0", pod(0, IMG1, ON_1), pod(1, IMG1, ON_1),
                    unreadyPod(2, "ticker:0.3.0", NodeObservation.unreachable("epmd: no node named 'ticker'"), created));
            Decider d = new Decider(new Decider.Deadlines(java.time.Duration.ofMinutes(30), java.time.Duration.ofMinutes(5)));

            assertThat(d.decide(at(created.plusSeconds(299), spec, m, obs))).isInstanceOf(Wait.class);
            Action a = d.decide(at(created.plusSeconds(301), spec, m, obs));
            assertThat(a).isInstanceOf(FailMove.class);
            FailMove f = (FailMove) a;
            assertThat(f.reason()).isEqualTo(Reasons.MOVE_TIMED_OUT);
            assertThat(f.message()).contains("pod t-2", "not Ready on 0.3.0 within 5 min", "node not answering",
                    "awaited: Ready with its node answering on 0.3.0");
        }

        @Test
        void aMoveThatStillWaitsAfterTheMoveTimeoutFailsNamingThePodsAndWhatItAwaited() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            m.setMethod(Method.Hot);
            var spec = spec("0.2.0", IMG2, 2, Strategy.Auto);
            // every node runs 0.2.0, the template follows, but t-1 never becomes Ready
            Observation obs = world(IMG2, pod(0, IMG1, ON_2), unreadyPod(1, IMG1, ON_2, Fixtures.T0));
            Decider d = new Decider(new Decider.Deadlines(java.time.Duration.ofMinutes(10), java.time.Duration.ofMinutes(5)));

            Action before = d.decide(at(started.plus(java.time.Duration.ofMinutes(10)), spec, m, obs));
            assertThat(before).isInstanceOf(Wait.class);
            assertThat(((Wait) before).reason()).isEqualTo(Reasons.PODS_NOT_READY);

            Action after = d.decide(at(started.plus(java.time.Duration.ofMinutes(10)).plusSeconds(1), spec, m, obs));
            assertThat(after).isInstanceOf(FailMove.class);
            FailMove f = (FailMove) after;
            assertThat(f.reason()).isEqualTo(Reasons.MOVE_TIMED_OUT);
            assertThat(f.message()).contains("move 0.1.0 -> 0.2.0 did not finish within 10 min",
                    "awaited: 1 of 2 pods not ready", "pods not done: t-1 (runs 0.2.0, not Ready)");
            assertThat(f.message()).doesNotContain("t-0");
        }

        @Test
        void aMoveThatStillMakesProgressIsNotStoppedByTheDeadline() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            m.setMethod(Method.Hot);
            m.getPodsDone().add("t-1");
            var spec = spec("0.2.0", IMG2, 2, Strategy.Auto);
            Action a = decide(new Decider.Input("t", 2L, spec, status(m),
                    world(IMG1, pod(0, IMG1, node("0.2.0:unpacked", "0.1.0:permanent")), pod(1, IMG1, ON_2)),
                    Fixtures.HASH, started.plus(java.time.Duration.ofHours(2))));
            assertThat(a).isEqualTo(new HotMove(List.of("t-0"), "0.2.0", false));
        }

        @Test
        void aStepRetriedPastTheDeadlineFailsTheMove() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            m.setMethod(Method.Hot);
            m.setLastError("t-0: install_release gave no answer within 120000 ms");
            m.setLastErrorKind("TIMEOUT");
            var spec = spec("0.2.0", IMG2, 1, Strategy.Auto);
            Observation obs = world(IMG1, pod(0, IMG1, node("0.2.0:unpacked", "0.1.0:permanent")));
            Decider d = new Decider(new Decider.Deadlines(java.time.Duration.ofMinutes(10), java.time.Duration.ofMinutes(5)));
            assertThat(d.decide(at(started.plus(java.time.Duration.ofMinutes(9)), spec, m, obs))).isInstanceOf(HotMove.class);
            Action a = d.decide(at(started.plus(java.time.Duration.ofMinutes(11)), spec, m, obs));
            assertThat(a).isInstanceOf(FailMove.class);
            assertThat(((FailMove) a).message()).contains("awaited: retrying after: t-0: install_release gave no answer",
                    "t-0 (runs 0.1.0, not 0.2.0)");
        }

        @Test
        void aFailedStepWaitsForItsBackoffThenIsTriedAgain() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            m.setMethod(Method.Hot);
            m.setLastError("t-0: connection refused");
            m.setLastErrorKind("UNREACHABLE");
            m.setFailedAttempts(3);
            m.setRetryAt(started.plusSeconds(64).toString());
            var spec = spec("0.2.0", IMG2, 1, Strategy.Auto);
            Observation obs = world(IMG1, pod(0, IMG1, node("0.2.0:unpacked", "0.1.0:permanent")));
            Action waiting = decide(at(started.plusSeconds(60), spec, m, obs));
            assertThat(waiting).isEqualTo(new Action.RetryLater("retrying at " + started.plusSeconds(64)
                    + " (attempt 4) after: t-0: connection refused", started.plusSeconds(64)));
            assertThat(waiting.pace()).isEqualTo(Action.Pace.WAITING);
            assertThat(decide(at(started.plusSeconds(64), spec, m, obs))).isEqualTo(new HotMove(List.of("t-0"), "0.2.0", true));
        }

        @Test
        void aPodMadePermanentWithoutItsStartScriptIsNotDoneAndGoesFirst() {
            Move m = move("0.1.0", "0.2.0", IMG1, IMG2);
            m.setMethod(Method.Hot);
            var spec = spec("0.2.0", IMG2, 3, Strategy.Auto);
            // the operator died between make_permanent and the start script copy on t-2 (the canary)
            NodeObservation stale = NodeObservation.of(node("0.2.0:permanent", "0.1.0:old").releases(), false);
            assertThat(stale.settledOn("0.2.0")).as("a restart would boot 0.1.0").isFalse();
            Observation obs = world(IMG1, pod(0, IMG1, ON_1), pod(1, IMG1, ON_1), pod(2, IMG1, stale));
            assertThat(decide(at(started.plusSeconds(5), spec, m, obs))).isEqualTo(new HotMove(List.of("t-2"), "0.2.0", true));
        }

        @Test
        void theDefaultsLeaveRoomForTheBuildJobDeadline() {
            assertThat(Decider.DEFAULT_DEADLINES.move()).isGreaterThan(java.time.Duration.ofMinutes(15));
        }
    }
}
