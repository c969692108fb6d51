package dev.relup.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.relup.engine.upgrade.Step;
import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.node.PackageFile;
import dev.relup.operator.node.NodeRef;

class HotMoverTest {

    private final FakeReleaseNodes nodes = new FakeReleaseNodes();
    /** One step per call (no budget): the engine's order, step by step. */
    private final HotMover mover = new HotMover(nodes, Duration.ZERO, FaultPoint.none());
    private static final Optional<PackageFile> PKG = Optional.of(new PackageFile(Path.of("/cache/ticker-0.2.0.tar.gz"), "0".repeat(64)));

    private static NodeRef ref(String pod) {
        return new NodeRef("ns", pod, "ticker", "10.0.0.1", "secret".toCharArray());
    }

    private List<Step> stepUntilFinished(String pod, String to, Optional<PackageFile> pkg) throws NodeFailure {
        List<Step> steps = new ArrayList<>();
        HotMover.Outcome o;
        do {
            HotMover.Steps r = mover.steps(ref(pod), to, pkg);
            if (r.failed()) {
                throw r.failure();
            }
            assertThat(r.done()).hasSize(1);
            o = r.done().get(0);
            steps.add(o.step());
        } while (!o.finished());
        return steps;
    }

    @Test
    void anUpgradeIsOneStepPerCallInTheEnginesOrder() throws Exception {
        nodes.node("t-0", "0.1.0:permanent");
        assertThat(stepUntilFinished("t-0", "0.2.0", PKG)).containsExactly(Step.TRANSFER, Step.UNPACK, Step.INSTALL,
                Step.MAKE_PERMANENT, Step.COPY_START_SCRIPT);
        assertThat(nodes.nodes.get("t-0")).containsEntry("0.2.0", "permanent").containsEntry("0.1.0", "old");
        assertThat(mover.steps(ref("t-0"), "0.2.0", PKG).done()).extracting(HotMover.Outcome::step).containsExactly(Step.DONE);
    }

    @Test
    void aNodeLeftAfterMakePermanentOnlyGetsItsStartScript() throws Exception {
        nodes.node("t-0", "0.2.0:permanent", "0.1.0:old");
        nodes.staleScript.add("t-0");
        assertThat(stepUntilFinished("t-0", "0.2.0", Optional.empty())).containsExactly(Step.COPY_START_SCRIPT);
        assertThat(nodes.calls).noneMatch(c -> c.contains("install"));
    }

    @Test
    void installedButNotPermanentIsNotInstalledAgain() throws Exception {
        nodes.node("t-0", "0.2.0:current", "0.1.0:permanent");
        assertThat(stepUntilFinished("t-0", "0.2.0", Optional.empty()))
                .containsExactly(Step.MAKE_PERMANENT, Step.COPY_START_SCRIPT);
    }

    @Test
    void downgradeToAnInstalledReleaseNeedsNoPackage() throws Exception {
        nodes.node("t-0", "0.2.0:permanent", "0.1.0:old");
        assertThat(stepUntilFinished("t-0", "0.1.0", Optional.empty()))
                .containsExactly(Step.INSTALL, Step.MAKE_PERMANENT, Step.COPY_START_SCRIPT);
        assertThat(nodes.nodes.get("t-0")).containsEntry("0.1.0", "permanent");
    }

    @Test
    void aMissingReleaseWithoutPackageFailsBeforeTouchingTheNode() {
        nodes.node("t-0", "0.1.0:permanent");
        HotMover.Steps r = mover.steps(ref("t-0"), "0.2.0", Optional.empty());
        assertThat(r.done()).isEmpty();
        assertThat(r.failure())
                .satisfies(e -> assertThat(((NodeFailure) e).kind()).isEqualTo(NodeFailure.Kind.PACKAGE_FAILED));
        assertThat(nodes.nodes.get("t-0")).containsOnlyKeys("0.1.0");
    }

    @Test
    void aCrashedCodeChangeSurfacesTypedAndNothingIsMadePermanent() {
        nodes.node("t-0", "0.1.0:permanent", "0.2.0:unpacked");
        nodes.failInstall = new NodeFailure(NodeFailure.Kind.CODE_CHANGE_FAILED, "t-0: code_change failed in ticker_server");
        assertThat(mover.steps(ref("t-0"), "0.2.0", PKG).failure())
                .satisfies(e -> assertThat(((NodeFailure) e).kind().meansNotHot()).isTrue());
        assertThat(nodes.calls).noneMatch(c -> c.contains("make_permanent"));
    }

    @Test
    void withinItsBudgetOneCallTakesEveryStepOfTheNodeInOneSession() {
        nodes.node("t-0", "0.2.0:permanent", "0.1.0:old");
        HotMover.Steps r = new HotMover(nodes, Duration.ofSeconds(2), FaultPoint.none()).steps(ref("t-0"), "0.1.0",
                Optional.empty());
        assertThat(r.failed()).isFalse();
        assertThat(r.done()).extracting(HotMover.Outcome::step).containsExactly(Step.INSTALL, Step.MAKE_PERMANENT,
                Step.COPY_START_SCRIPT);
        assertThat(nodes.nodes.get("t-0")).containsEntry("0.1.0", "permanent");
    }

    @Test
    void noStepIsBegunOnceTheBudgetIsSpent() {
        nodes.node("t-0", "0.1.0:permanent");
        // each reading of the clock is 400 ms after the last (the call's start is the first): after the third step
        // 1200 ms have passed, over the budget of 1 s, so no fourth step is begun
        long[] now = {0};
        HotMover mover = new HotMover(nodes, Duration.ofSeconds(1), FaultPoint.none(), () -> now[0] += 400_000_000L);
        HotMover.Steps first = mover.steps(ref("t-0"), "0.2.0", PKG);
        assertThat(first.done()).extracting(HotMover.Outcome::step).containsExactly(Step.TRANSFER, Step.UNPACK,
                Step.INSTALL);
        assertThat(mover.steps(ref("t-0"), "0.2.0", PKG).done()).extracting(HotMover.Outcome::step)
                .containsExactly(Step.MAKE_PERMANENT, Step.COPY_START_SCRIPT);
    }

    @Test
    void aFailureAfterStepsDoneReturnsThemWithIt() {
        nodes.node("t-0", "0.1.0:permanent");
        nodes.failInstall = new NodeFailure(NodeFailure.Kind.CODE_CHANGE_FAILED, "t-0: code_change failed in ticker_server");
        HotMover.Steps r = new HotMover(nodes, Duration.ofSeconds(2), FaultPoint.none()).steps(ref("t-0"), "0.2.0", PKG);
        assertThat(r.done()).extracting(HotMover.Outcome::step).containsExactly(Step.TRANSFER, Step.UNPACK);
        assertThat(r.failure().kind()).isEqualTo(NodeFailure.Kind.CODE_CHANGE_FAILED);
    }

    @Test
    void theFaultPointHaltsBetweenTwoStepsOfOneCall() {
        nodes.node("t-0", "0.2.0:permanent", "0.1.0:old");
        FaultPoint halting = new FaultPoint(Optional.of(Step.INSTALL), () -> {
            throw new IllegalStateException("halted");
        });
        assertThatThrownBy(() -> new HotMover(nodes, Duration.ofSeconds(2), halting).steps(ref("t-0"), "0.1.0",
                Optional.empty())).hasMessage("halted");
        assertThat(nodes.calls).anyMatch(c -> c.contains("install")).noneMatch(c -> c.contains("make_permanent"));
    }

    @Test
    void theCookieNeverShowsInANodeRef() {
        assertThat(ref("t-0").toString()).doesNotContain("secret").contains("ticker@10.0.0.1");
    }
}
