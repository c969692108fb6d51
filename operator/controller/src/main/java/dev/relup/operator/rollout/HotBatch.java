package dev.relup.operator.rollout;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.relup.operator.Parallel;
import dev.relup.api.v1alpha1.HealthCheck;
import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.node.PackageFile;
import dev.relup.operator.node.ReleaseNodes;
import dev.relup.operator.node.NodeRef;

/**
 * The next steps on each pod of a batch, in parallel, so that a pass is held for one pod's pass budget (and one
 * step's timeout) at most whatever the batch size. Each step is bounded by the RPC timeouts of the engine.
 */
public final class HotBatch {

    private final HotMover mover;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "relup-step");
        t.setDaemon(true);
        return t;
    });

    public HotBatch(HotMover mover) {
        this.mover = mover;
    }

    /** Results in the order of {@code refs}. */
    public List<HotMover.Steps> step(List<NodeRef> refs, String to, Optional<PackageFile> packageFile) {
        return Parallel.map(pool, refs, ref -> mover.steps(ref, to, packageFile));
    }

    /** What one pod's health check gave: an answer, or why the node could not be asked. */
    public record PodCheck(String pod, ReleaseNodes.HealthAnswer answer, NodeFailure failure) {}

    /** Health checks on each pod, in parallel; results in the order of {@code refs}. */
    public List<PodCheck> check(List<NodeRef> refs, HealthCheck check) {
        return Parallel.map(pool, refs, ref -> {
            try {
                return new PodCheck(ref.pod(), mover.check(ref, check), null);
            } catch (NodeFailure f) {
                return new PodCheck(ref.pod(), null, f);
            }
        });
    }

    /** What one pod's config change gave: what it ran before and runs now, or the failure. */
    public record PodConfig(String pod, ReleaseNodes.ConfigApplied applied, NodeFailure failure) {}

    /** A live config change on each pod ({@code textOf}: the text for a pod), in parallel; in the order of {@code refs}. */
    public List<PodConfig> applyConfig(List<NodeRef> refs, java.util.function.Function<String, String> textOf) {
        return Parallel.map(pool, refs, ref -> {
            try {
                return new PodConfig(ref.pod(), mover.applyConfig(ref, textOf.apply(ref.pod())), null);
            } catch (NodeFailure f) {
                return new PodConfig(ref.pod(), null, f);
            }
        });
    }

    public ReleaseNodes.ConfigVerdict validateConfig(NodeRef ref, String text) throws NodeFailure {
        return mover.validateConfig(ref, text);
    }
}
