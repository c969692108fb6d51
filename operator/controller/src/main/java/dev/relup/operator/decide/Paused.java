package dev.relup.operator.decide;

import dev.relup.api.v1alpha1.Move;
import dev.relup.operator.decide.Action.Wait;

/**
 * {@code spec.paused}: the move is built, rehearsed and its plan published, then nothing touches a pod until the
 * user says go. A rollback under way is not paused: it is what keeps the pods safe.
 */
final class Paused {

    private Paused() {
    }

    static Wait hot(Move m) {
        return new Wait(Reasons.AWAITING_APPROVAL, "paused before moving " + m.getFrom() + " -> " + m.getTo()
                + (m.getPackageSha256() == null ? "" : " (package " + m.getPackageSha256().substring(0, 12) + ")")
                + ": the plan is in status.plan; set spec.paused to false to go on");
    }

    static Wait restart(Move m) {
        return new Wait(Reasons.AWAITING_APPROVAL, "paused before restarting the pods onto " + m.getTo()
                + ": set spec.paused to false to go on");
    }
}
