package dev.relup.operator.rollout;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.relup.api.v1alpha1.ReleaseEntry;
import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.node.NodeRef;
import dev.relup.operator.node.ReleaseNodes;
import dev.relup.operator.observe.NodeObservation;

/**
 * Moves one node to a release in place, each step only when {@code which_releases} says it has not happened yet
 * (so a controller restarted mid-move never installs twice):
 * <ol>
 *   <li>already permanent on the target: nothing;</li>
 *   <li>target unknown to the node: check the package's path, copy it (sha256 verified on the node), unpack;</li>
 *   <li>target not running yet: check the path with the node's relup files, {@code install_release};</li>
 *   <li>verify the node answers and runs the target, then {@code make_permanent} (plus the start script copy);</li>
 *   <li>verify again: the target is permanent.</li>
 * </ol>
 */
public final class HotMover {

    /** What happened on one node. {@code installed}: false when the node was already there. */
    public record Outcome(String pod, boolean alreadyThere, boolean installed, boolean transferred, long millis) {}

    private final ReleaseNodes nodes;

    public HotMover(ReleaseNodes nodes) {
        this.nodes = nodes;
    }

    public Outcome move(NodeRef ref, String to, Optional<Path> packageFile) throws NodeFailure {
        long start = System.nanoTime();
        try (ReleaseNodes.NodeSession node = nodes.open(ref)) {
            NodeObservation seen = NodeObservation.of(node.whichReleases());
            if (seen.settledOn(to)) {
                return new Outcome(ref.pod(), true, false, false, millis(start));
            }
            boolean transferred = false;
            boolean installed = false;
            if (!seen.has(to)) {
                Path pkg = packageFile.orElseThrow(() -> new NodeFailure(NodeFailure.Kind.PACKAGE_FAILED,
                        ref.pod() + ": " + to + " is not on the node and no package is at hand"));
                node.transferAndUnpack(pkg);
                transferred = true;
                seen = NodeObservation.of(node.whichReleases());
            }
            if (!seen.runningVersion().map(to::equals).orElse(false)) {
                node.checkUpgradePath(to);
                node.install(to);
                installed = true;
                seen = NodeObservation.of(node.whichReleases());
                if (!seen.runningVersion().map(to::equals).orElse(false)) {
                    throw new NodeFailure(NodeFailure.Kind.OTHER, ref.pod() + ": install_release(" + to
                            + ") returned ok but the node runs " + seen.runningVersion().orElse("nothing"));
                }
            }
            node.makePermanent(to);
            List<ReleaseEntry> after = node.whichReleases();
            if (!NodeObservation.of(after).settledOn(to)) {
                throw new NodeFailure(NodeFailure.Kind.OTHER, ref.pod() + ": make_permanent(" + to
                        + ") returned ok but which_releases says " + after);
            }
            return new Outcome(ref.pod(), false, installed, transferred, millis(start));
        }
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
