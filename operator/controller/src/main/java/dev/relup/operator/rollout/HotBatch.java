package dev.relup.operator.rollout;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.relup.operator.Parallel;
import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.node.NodeRef;

/**
 * One step on each pod of a batch, in parallel, so that a pass is held for one step's timeout at most whatever the
 * batch size. Each step is bounded by the RPC timeouts of the engine.
 */
public final class HotBatch {

    /** What one pod's step gave: an outcome, or the failure. */
    public record PodStep(String pod, HotMover.Outcome outcome, NodeFailure failure) {
        public boolean failed() {
            return failure != null;
        }
    }

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
    public List<PodStep> step(List<NodeRef> refs, String to, Optional<Path> packageFile) {
        return Parallel.map(pool, refs, ref -> one(ref, to, packageFile));
    }

    private PodStep one(NodeRef ref, String to, Optional<Path> packageFile) {
        try {
            return new PodStep(ref.pod(), mover.step(ref, to, packageFile), null);
        } catch (NodeFailure f) {
            return new PodStep(ref.pod(), null, f);
        }
    }
}
