package dev.relup.operator.rollout;

import java.util.Optional;

import org.jboss.logging.Logger;

import dev.relup.engine.upgrade.Step;

/**
 * A crash on purpose, for the tests that prove a move survives the operator dying between two steps: armed with
 * {@code relup.fault.halt-after-step} (e.g. MAKE_PERMANENT), the process halts (exit 137, no shutdown hooks, like
 * a SIGKILL) right after the first time that step succeeds on a pod. Unset in production: then it does nothing.
 */
public final class FaultPoint {

    private static final Logger LOG = Logger.getLogger(FaultPoint.class);

    private final Optional<Step> haltAfter;
    private final Runnable halt;

    public FaultPoint(Optional<Step> haltAfter) {
        this(haltAfter, () -> Runtime.getRuntime().halt(137));
    }

    /** {@code halt}: what the process does at the point (tests: throw, as the pass would end there). */
    public FaultPoint(Optional<Step> haltAfter, Runnable halt) {
        this.haltAfter = haltAfter;
        this.halt = halt;
    }

    public static FaultPoint none() {
        return new FaultPoint(Optional.empty());
    }

    public void after(Step done, String pod) {
        if (haltAfter.isPresent() && haltAfter.get() == done) {
            LOG.errorf("fault point: halting right after %s on %s (relup.fault.halt-after-step)", done, pod);
            halt.run();
        }
    }
}
