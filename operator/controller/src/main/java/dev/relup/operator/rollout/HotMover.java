package dev.relup.operator.rollout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

import dev.relup.engine.upgrade.Step;
import dev.relup.api.v1alpha1.HealthCheck;
import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.node.PackageFile;
import dev.relup.operator.node.NodeRef;
import dev.relup.operator.node.ReleaseNodes;

/**
 * Moves one node towards a release in place, step by step. Each step is the one the engine's step machine picks from
 * what the node reports (transfer, unpack, install, make_permanent, start script copy), so a controller restarted
 * mid-move neither installs twice nor forgets the start script copy after make_permanent.
 *
 * <p>One call takes the node's next steps while they fit in the pass budget: a downgrade's install, make_permanent and
 * start script copy take ~30 ms together on the node, and a pass of their own each cost the operator several times
 * that (status write, event, the node asked again). A step is begun only while the call is within its budget, so a
 * pass holds its thread for the budget plus one step's RPC timeout at most; a zero budget is one step per call.
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

    /** The steps one call did on a node, in order, and the failure that ended it, if one did. */
    public record Steps(String pod, List<Outcome> done, NodeFailure failure) {
        public boolean failed() {
            return failure != null;
        }
    }

    private final ReleaseNodes nodes;
    private final Duration passBudget;
    private final FaultPoint faults;
    private final LongSupplier nanos;

    public HotMover(ReleaseNodes nodes, Duration passBudget, FaultPoint faults) {
        this(nodes, passBudget, faults, System::nanoTime);
    }

    HotMover(ReleaseNodes nodes, Duration passBudget, FaultPoint faults, LongSupplier nanos) {
        this.nodes = nodes;
        this.passBudget = passBudget;
        this.faults = faults;
        this.nanos = nanos;
    }

    /** The node's next steps towards {@code to}, one session, until it is finished, fails or the budget is spent. */
    public Steps steps(NodeRef ref, String to, Optional<PackageFile> packageFile) {
        long began = nanos.getAsLong();
        List<Outcome> done = new ArrayList<>();
        try (ReleaseNodes.NodeSession node = nodes.open(ref)) {
            while (true) {
                Outcome o = new Outcome(ref.pod(), node.advance(to, packageFile));
                done.add(o);
                // the fault point's halt must fall between two steps, as it did when a pass took one step
                faults.after(o.step(), ref.pod());
                if (o.finished() || nanos.getAsLong() - began >= passBudget.toNanos()) {
                    return new Steps(ref.pod(), List.copyOf(done), null);
                }
            }
        } catch (NodeFailure f) {
            return new Steps(ref.pod(), List.copyOf(done), f);
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
