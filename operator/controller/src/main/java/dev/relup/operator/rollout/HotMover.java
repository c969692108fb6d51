package dev.relup.operator.rollout;

import java.util.Optional;

import dev.relup.engine.upgrade.Step;
import dev.relup.api.v1alpha1.HealthCheck;
import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.node.PackageFile;
import dev.relup.operator.node.NodeRef;
import dev.relup.operator.node.ReleaseNodes;

/**
 * Moves one node one step towards a release in place. The step is the one the engine's step machine picks from
 * what the node reports (transfer, unpack, install, make_permanent, start script copy), so a controller restarted
 * mid-move neither installs twice nor forgets the start script copy after make_permanent. One call is one step:
 * a reconcile pass holds its thread for one step's timeout at most.
 */
public final class HotMover {

    /** One step done on one node ({@link Step#DONE}: it needed none). */
    public record Outcome(String pod, ReleaseNodes.StepDone done) {
        public Step step() {
            return done.step();
        }

        /** The node runs the target permanently and boots it: this was the last step. */
        public boolean finished() {
            return done.step() == Step.COPY_START_SCRIPT || done.step() == Step.DONE;
        }
    }

    private final ReleaseNodes nodes;

    public HotMover(ReleaseNodes nodes) {
        this.nodes = nodes;
    }

    public Outcome step(NodeRef ref, String to, Optional<PackageFile> packageFile) throws NodeFailure {
        try (ReleaseNodes.NodeSession node = nodes.open(ref)) {
            return new Outcome(ref.pod(), node.advance(to, packageFile));
        }
    }

    /** The release's health check on the node ({@code check} null: only which boot of the node answers). */
    public ReleaseNodes.HealthAnswer check(NodeRef ref, HealthCheck check) throws NodeFailure {
        try (ReleaseNodes.NodeSession node = nodes.open(ref)) {
            return node.checkHealth(check);
        }
    }

    /** What the node makes of a spec.config text (nothing changes). */
    public ReleaseNodes.ConfigVerdict validateConfig(NodeRef ref, String text) throws NodeFailure {
        try (ReleaseNodes.NodeSession node = nodes.open(ref)) {
            return node.validateConfig(text);
        }
    }

    /** The node's live configuration moved to {@code text} in place, and persisted. */
    public ReleaseNodes.ConfigApplied applyConfig(NodeRef ref, String text) throws NodeFailure {
        try (ReleaseNodes.NodeSession node = nodes.open(ref)) {
            return node.applyConfig(text);
        }
    }
}
