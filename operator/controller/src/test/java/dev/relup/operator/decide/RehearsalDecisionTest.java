package dev.relup.operator.decide;

import static dev.relup.operator.decide.Fixtures.IMG1;
import static dev.relup.operator.decide.Fixtures.input;
import static dev.relup.operator.decide.Fixtures.move;
import static dev.relup.operator.decide.Fixtures.node;
import static dev.relup.operator.decide.Fixtures.pkg;
import static dev.relup.operator.decide.Fixtures.pod;
import static dev.relup.operator.decide.Fixtures.spec;
import static dev.relup.operator.decide.Fixtures.status;
import static dev.relup.operator.decide.Fixtures.withPackage;
import static dev.relup.operator.decide.Fixtures.world;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.relup.api.v1alpha1.ErlangReleaseSpec;
import dev.relup.api.v1alpha1.Method;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.Strategy;
import dev.relup.engine.build.Rehearsal;
import dev.relup.engine.build.Rehearsal.Step;
import dev.relup.operator.decide.Action.ChooseMethod;
import dev.relup.operator.decide.Action.FailMove;
import dev.relup.operator.observe.CachedPackage;
import dev.relup.operator.observe.Observation;

/** What the rehearsal of a hot package decides, before any pod is touched. */
class RehearsalDecisionTest {

    private static final String CRASH = "code_change failed in ticker_server: {broken_on_purpose,29} at "
            + "ticker_server:code_change/3; the node restarted (same OS pid 1, new kernel_sup) and runs 0.1.0";

    private static Rehearsal failedAtInstall() {
        return new Rehearsal("failed", "ticker", "0.1.0", "0.9.0", 7445, List.of(
                new Step("boot", 534, "ok", "ticker 0.1.0 started"), new Step("install", 6565, "failed", CRASH),
                new Step("stop", 102, "ok", "stopped")), "install", CRASH);
    }

    private static Rehearsal passed() {
        return new Rehearsal("passed", "ticker", "0.1.0", "0.9.0", 799, List.of(new Step("boot", 529, "ok", "started")),
                null, null);
    }

    private static CachedPackage rehearsed(boolean hot, Rehearsal r) {
        CachedPackage p = pkg("0.1.0", "0.9.0", hot, hot ? new String[0] : new String[] {"erts differs"});
        return new CachedPackage(p.file(), p.sha256(), p.release(), p.from(), p.to(), p.hot(), p.reasons(), p.size(),
                p.plan(), r);
    }

    private static Action decide(Strategy strategy, CachedPackage p, Boolean rehearse) {
        Move m = move("0.1.0", "0.9.0", IMG1, "ticker:0.9.0");
        ErlangReleaseSpec spec = spec("0.9.0", "ticker:0.9.0", 1, strategy);
        spec.setRehearse(rehearse);
        Observation obs = withPackage(world(IMG1, pod(0, IMG1, node("0.1.0:permanent"))), p);
        return new Decider().decide(input(spec, status(m), obs));
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"Auto", "Hot"})
    void aFailedRehearsalEndsTheMoveNamingTheStepAndTheCrashUnderAutoToo(Strategy strategy) {
        Action a = decide(strategy, rehearsed(true, failedAtInstall()), null);
        assertThat(a).isInstanceOf(FailMove.class);
        FailMove f = (FailMove) a;
        assertThat(f.reason()).isEqualTo(Reasons.REHEARSAL_FAILED);
        assertThat(f.message()).startsWith("rehearsal of 0.1.0 -> 0.9.0 failed at install: code_change failed in ticker_server")
                .contains("broken_on_purpose").contains("no pod was touched");
    }

    @Test
    void aPassedRehearsalLetsTheMoveGoHot() {
        Action a = decide(Strategy.Hot, rehearsed(true, passed()), null);
        assertThat(a).isInstanceOf(ChooseMethod.class);
        assertThat(((ChooseMethod) a).method()).isEqualTo(Method.Hot);
        assertThat(((ChooseMethod) a).message()).endsWith("and its rehearsal passed");
    }

    @Test
    void aNotHotPackageFollowsTheBuildsVerdictWhateverItsRehearsal() {
        Action a = decide(Strategy.Auto, rehearsed(false, failedAtInstall()), null);
        assertThat(a).isInstanceOf(ChooseMethod.class);
        assertThat(((ChooseMethod) a).method()).isEqualTo(Method.Restart);
        assertThat(((ChooseMethod) a).fallback()).isTrue();
    }

    @Test
    void withRehearseFalseARehearsalIsNotLookedAt() {
        Action a = decide(Strategy.Hot, rehearsed(true, failedAtInstall()), false);
        assertThat(a).isInstanceOf(ChooseMethod.class);
        assertThat(((ChooseMethod) a).method()).isEqualTo(Method.Hot);
    }
}
