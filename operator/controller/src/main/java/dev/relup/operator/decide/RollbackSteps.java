package dev.relup.operator.decide;

import java.util.List;

import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.Rollback;
import dev.relup.operator.decide.Action.EndRollback;
import dev.relup.operator.decide.Action.FailMove;
import dev.relup.operator.decide.Action.HotMove;
import dev.relup.operator.decide.Action.StartRollback;
import dev.relup.operator.decide.Action.Wait;
import dev.relup.operator.observe.PodObservation;

/**
 * What a failed hot move does with the pods it already moved: under {@code rollback: Auto} they go back to the
 * from-version in place (release_handler installs the old release again: no package, no restart), all at once,
 * since a failure is no time to go slowly; under Manual they stay and the move stops.
 */
final class RollbackSteps {

    private RollbackSteps() {
    }

    /** The node runs the move's target, or boots it: a rollback takes it back. */
    static boolean moved(PodObservation p, Move m) {
        return p.reachable() && (p.node().runningVersion().map(m.getTo()::equals).orElse(false)
                || p.node().permanentVersion().map(m.getTo()::equals).orElse(false));
    }

    /** A step on a pod, its check or the soak failed for good ({@code cause}: pod, step, answer). */
    static Action failed(Decider.Input in, Move m, List<PodObservation> pods, String reason, String cause) {
        List<String> moved = pods.stream().filter(p -> moved(p, m)).map(PodObservation::name).sorted().toList();
        if (moved.isEmpty()) {
            return new FailMove(reason, cause + restarted(m));
        }
        if (SpecDefaults.rollback(in.spec()) == Rollback.Auto) {
            return new StartRollback(cause, moved);
        }
        return new FailMove(Reasons.MOVE_FAILED, cause + "; rollback is Manual: " + String.join(", ", moved)
                + " stay on " + m.getTo() + restarted(m));
    }

    /** The next step of a rollback under way, or its end once no pod runs the target. */
    static Action next(Decider.Input in, Move m, List<PodObservation> pods) {
        String from = m.getFrom();
        List<PodObservation> unreachable = pods.stream().filter(p -> !p.reachable()).toList();
        if (!unreachable.isEmpty()) {
            PodObservation p = unreachable.get(0);
            return new Wait(Reasons.NODE_UNREACHABLE, "rollback to " + from + " waits for the node of pod " + p.name()
                    + " to answer" + Describe.whyNotAnswering(p), p.name());
        }
        List<String> back = pods.stream()
                .filter(p -> !p.settledOn(from) && (moved(p, m) || p.node().runningVersion().map(from::equals).orElse(false)))
                .map(PodObservation::name).sorted().toList();
        if (!back.isEmpty()) {
            return new HotMove(back, from, false);
        }
        return new EndRollback("rolled back to " + from + " in place: " + m.getRollbackCause() + restarted(m));
    }

    private static String restarted(Move m) {
        return m.getRestartedPods().isEmpty() ? ""
                : "; the node of " + String.join(", ", m.getRestartedPods()) + " restarted during the failed step and runs "
                + m.getFrom() + " again (release_handler's doing): its in-memory state was lost";
    }
}
