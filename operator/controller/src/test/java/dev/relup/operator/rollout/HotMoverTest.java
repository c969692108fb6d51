package dev.relup.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.node.NodeRef;

class HotMoverTest {

    private final FakeReleaseNodes nodes = new FakeReleaseNodes();
    private final HotMover mover = new HotMover(nodes);
    private static final Optional<Path> PKG = Optional.of(Path.of("/cache/ticker-0.2.0.tar.gz"));

    private static NodeRef ref(String pod) {
        return new NodeRef(pod, "ticker", "10.0.0.1", "secret".toCharArray());
    }

    @Test
    void upgradeTransfersInstallsAndMakesPermanentInThatOrder() throws Exception {
        nodes.node("t-0", "0.1.0:permanent");
        HotMover.Outcome o = mover.move(ref("t-0"), "0.2.0", PKG);
        assertThat(o.installed()).isTrue();
        assertThat(o.transferred()).isTrue();
        assertThat(nodes.calls).containsSubsequence("t-0 transfer+unpack 0.2.0", "t-0 check 0.2.0", "t-0 install 0.2.0",
                "t-0 make_permanent 0.2.0");
        assertThat(nodes.nodes.get("t-0")).containsEntry("0.2.0", "permanent").containsEntry("0.1.0", "old");
    }

    @Test
    void aNodeAlreadyThereIsNotTouchedAgain() throws Exception {
        nodes.node("t-0", "0.2.0:permanent", "0.1.0:old");
        HotMover.Outcome o = mover.move(ref("t-0"), "0.2.0", PKG);
        assertThat(o.alreadyThere()).isTrue();
        assertThat(nodes.calls).containsExactly("t-0 which_releases");
    }

    @Test
    void installedButNotPermanentOnlyMakesPermanent() throws Exception {
        nodes.node("t-0", "0.2.0:current", "0.1.0:permanent");
        HotMover.Outcome o = mover.move(ref("t-0"), "0.2.0", Optional.empty());
        assertThat(o.installed()).isFalse();
        assertThat(nodes.calls).noneMatch(c -> c.contains("install") || c.contains("transfer"));
        assertThat(nodes.calls).contains("t-0 make_permanent 0.2.0");
    }

    @Test
    void downgradeToAnInstalledReleaseNeedsNoPackage() throws Exception {
        nodes.node("t-0", "0.2.0:permanent", "0.1.0:old");
        mover.move(ref("t-0"), "0.1.0", Optional.empty());
        assertThat(nodes.calls).noneMatch(c -> c.contains("transfer"));
        assertThat(nodes.nodes.get("t-0")).containsEntry("0.1.0", "permanent");
    }

    @Test
    void aMissingReleaseWithoutPackageFailsBeforeTouchingTheNode() {
        nodes.node("t-0", "0.1.0:permanent");
        assertThatThrownBy(() -> mover.move(ref("t-0"), "0.2.0", Optional.empty()))
                .isInstanceOf(NodeFailure.class)
                .satisfies(e -> assertThat(((NodeFailure) e).kind()).isEqualTo(NodeFailure.Kind.PACKAGE_FAILED));
        assertThat(nodes.calls).containsExactly("t-0 which_releases");
    }

    @Test
    void aCrashedCodeChangeSurfacesTypedAndNothingIsMadePermanent() {
        nodes.node("t-0", "0.1.0:permanent");
        nodes.failInstall = new NodeFailure(NodeFailure.Kind.CODE_CHANGE_FAILED, "t-0: code_change failed in ticker_server");
        assertThatThrownBy(() -> mover.move(ref("t-0"), "0.2.0", PKG))
                .isInstanceOf(NodeFailure.class)
                .satisfies(e -> assertThat(((NodeFailure) e).kind().meansNotHot()).isTrue());
        assertThat(nodes.calls).noneMatch(c -> c.contains("make_permanent"));
    }

    @Test
    void theCookieNeverShowsInANodeRef() {
        assertThat(ref("t-0").toString()).doesNotContain("secret").contains("ticker@10.0.0.1");
    }
}
