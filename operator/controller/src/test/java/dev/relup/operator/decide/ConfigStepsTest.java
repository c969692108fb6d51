package dev.relup.operator.decide;

import static dev.relup.operator.decide.Fixtures.IMG1;
import static dev.relup.operator.decide.Fixtures.input;
import static dev.relup.operator.decide.Fixtures.node;
import static dev.relup.operator.decide.Fixtures.pod;
import static dev.relup.operator.decide.Fixtures.spec;
import static dev.relup.operator.decide.Fixtures.world;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.relup.api.v1alpha1.ConfigRejection;
import dev.relup.api.v1alpha1.ConfigRollout;
import dev.relup.api.v1alpha1.ConfigStatus;
import dev.relup.api.v1alpha1.ErlangReleaseSpec;
import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.api.v1alpha1.HealthCheck;
import dev.relup.api.v1alpha1.Rollback;
import dev.relup.api.v1alpha1.Strategy;
import dev.relup.operator.decide.Action.ApplyConfig;
import dev.relup.operator.decide.Action.ConfigHeld;
import dev.relup.operator.decide.Action.EndConfig;
import dev.relup.operator.decide.Action.Idle;
import dev.relup.operator.decide.Action.StartConfigRollback;
import dev.relup.operator.decide.Action.StartMove;
import dev.relup.operator.decide.Action.ValidateConfig;
import dev.relup.operator.decide.Action.VerifyConfig;
import dev.relup.operator.observe.ConfigHash;
import dev.relup.operator.observe.Observation;
import dev.relup.operator.observe.PodObservation;

class ConfigStepsTest {

    static final String TEXT = "[{ticker, [{interval, 1500}]}].";
    static final String NEW = "[{ticker,[{interval,1500}]}].";
    static final String OLD = "[].";

    private final Decider decider = new Decider();

    private static ErlangReleaseSpec spec3(String config) {
        ErlangReleaseSpec s = spec("0.1.0", IMG1, 3, Strategy.Hot);
        s.setConfig(config);
        return s;
    }

    private static PodObservation on(int ordinal, String overrides) {
        return pod(ordinal, IMG1, node("0.1.0:permanent").withOverrides(overrides));
    }

    private static Observation pods(String c0, String c1, String c2) {
        return world(IMG1, on(0, c0), on(1, c1), on(2, c2));
    }

    private static ErlangReleaseStatus validated(ConfigRollout rollout) {
        ConfigStatus c = new ConfigStatus();
        c.setSpec(ConfigHash.of(TEXT));
        c.setDesired(ConfigHash.of(NEW));
        c.setRollout(rollout);
        ErlangReleaseStatus s = new ErlangReleaseStatus();
        s.setConfig(c);
        return s;
    }

    private static ConfigRollout rollout(String... changed) {
        ConfigRollout r = new ConfigRollout();
        r.setSpec(ConfigHash.of(TEXT));
        r.setDesired(ConfigHash.of(NEW));
        for (String p : changed) {
            r.getChanged().add(p);
            r.getPrevious().put(p, ConfigHash.of(OLD));
        }
        r.getTexts().put(ConfigHash.of(OLD), OLD);
        return r;
    }

    private Action decide(ErlangReleaseSpec spec, ErlangReleaseStatus status, Observation obs) {
        return decider.decide(input(spec, status, obs));
    }

    @Test
    void noConfigAndNodesWithoutOverridesIsIdle() {
        assertThat(decide(spec3(null), null, pods(OLD, OLD, OLD))).isInstanceOf(Idle.class);
    }

    @Test
    void aNewTextIsValidatedOnTheCanarysNodeFirst() {
        assertThat(decide(spec3(TEXT), null, pods(OLD, OLD, OLD))).isEqualTo(new ValidateConfig("t-2", TEXT));
    }

    @Test
    void aRejectedTextIsHeldAndNoPodIsTouched() {
        ErlangReleaseStatus s = validated(null);
        s.getConfig().setDesired(null);
        s.getConfig().setRejected(new ConfigRejection(TEXT, "names application nope, which release ticker 0.1.0 does not have", "t"));
        Action a = decide(spec3(TEXT), s, pods(OLD, OLD, OLD));
        assertThat(a).isInstanceOf(ConfigHeld.class);
        assertThat(((ConfigHeld) a).reason()).isEqualTo(Reasons.CONFIG_REJECTED);
        assertThat(((ConfigHeld) a).message()).contains("names application nope");
        assertThat(a.pace()).isEqualTo(Action.Pace.IDLE);
    }

    @Test
    void aValidatedTextGoesToTheCanaryAloneFirst() {
        assertThat(decide(spec3(TEXT), validated(null), pods(OLD, OLD, OLD)))
                .isEqualTo(new ApplyConfig(List.of("t-2"), true, false));
    }

    @Test
    void aChangedPodIsCheckedBeforeAnyOtherChanges() {
        ErlangReleaseSpec spec = spec3(TEXT);
        spec.setHealthCheck(new HealthCheck());
        assertThat(decide(spec, validated(rollout("t-2")), pods(OLD, OLD, NEW))).isEqualTo(new VerifyConfig(List.of("t-2")));
    }

    @Test
    void afterTheCanaryTheOthersGoBatchSizeAtATime() {
        ErlangReleaseSpec spec = spec3(TEXT);
        spec.setBatchSize(2);
        spec.setHealthCheck(new HealthCheck());
        ConfigRollout r = rollout("t-2");
        r.getHealthy().add("t-2");
        assertThat(decide(spec, validated(r), pods(OLD, OLD, NEW))).isEqualTo(new ApplyConfig(List.of("t-1", "t-0"), false, false));
    }

    @Test
    void everyPodOnTheDesiredConfigEndsTheRollout() {
        Action a = decide(spec3(TEXT), validated(rollout("t-2", "t-1", "t-0")), pods(NEW, NEW, NEW));
        assertThat(a).isInstanceOf(EndConfig.class);
        assertThat(((EndConfig) a).reason()).isNull();
    }

    @Test
    void aFailureRollsTheChangedPodsBackUnderAutoAndStopsUnderManual() {
        ConfigRollout r = rollout("t-2");
        r.setCause("pod t-2: health check answered false");
        assertThat(decide(spec3(TEXT), validated(r), pods(OLD, OLD, NEW)))
                .isEqualTo(new StartConfigRollback("pod t-2: health check answered false", List.of("t-2")));

        ErlangReleaseSpec manual = spec3(TEXT);
        manual.setRollback(Rollback.Manual);
        Action a = decide(manual, validated(r), pods(OLD, OLD, NEW));
        assertThat(((EndConfig) a).reason()).isEqualTo(Reasons.CONFIG_FAILED);
        assertThat(((EndConfig) a).message()).contains("rollback is Manual: t-2 keep config");
    }

    @Test
    void aRollbackGivesBackThePreviousConfigThenEnds() {
        ConfigRollout r = rollout("t-2");
        r.setCause("pod t-2: health check answered false");
        r.setRollingBack(true);
        assertThat(decide(spec3(TEXT), validated(r), pods(OLD, OLD, NEW))).isEqualTo(new ApplyConfig(List.of("t-2"), false, true));
        Action end = decide(spec3(TEXT), validated(r), pods(OLD, OLD, OLD));
        assertThat(((EndConfig) end).reason()).isEqualTo(Reasons.CONFIG_ROLLED_BACK);
    }

    @Test
    void aFailedRolloutIsHeldUntilTheSpecOrTheRetryTokenChanges() {
        ConfigRollout r = rollout("t-2");
        r.setFailure("rolled back");
        r.setFailureReason(Reasons.CONFIG_ROLLED_BACK);
        assertThat(decide(spec3(TEXT), validated(r), pods(OLD, OLD, OLD))).isInstanceOf(ConfigHeld.class);
        assertThat(decide(spec3("[{ticker, [{interval, 2000}]}]."), validated(r), pods(OLD, OLD, OLD)))
                .isInstanceOf(ValidateConfig.class);
    }

    @Test
    void aVersionMoveComesFirstTheConfigWaitsForIt() {
        ErlangReleaseSpec spec = spec3(TEXT);
        spec.setVersion("0.2.0");
        spec.setImage(Fixtures.IMG2);
        assertThat(decide(spec, validated(null), pods(OLD, OLD, OLD))).isInstanceOf(StartMove.class);
    }

    @Test
    void aPodWhoseOverridesWereNotReadIsLeftAlone() {
        Observation obs = world(IMG1, pod(0, IMG1, node("0.1.0:permanent")), on(1, NEW), on(2, NEW));
        assertThat(decide(spec3(TEXT), validated(null), obs)).isInstanceOf(Idle.class);
    }
}
