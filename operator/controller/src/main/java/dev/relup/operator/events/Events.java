package dev.relup.operator.events;

import dev.relup.api.v1alpha1.ErlangRelease;

/** Kubernetes Events on an ErlangRelease. Messages never contain the cookie (nothing passes it here). */
public interface Events {

    String WORKLOAD_APPLIED = "WorkloadApplied";
    String MOVE_STARTED = "MoveStarted";
    String BUILD_STARTED = "BuildStarted";
    String PACKAGE_READY = "PackageReady";
    String METHOD_CHOSEN = "MethodChosen";
    String RESTART_FALLBACK = "RestartFallback";
    String POD_UPGRADED = "PodUpgraded";
    String POD_RESTARTED = "PodRestarted";
    String STEP_FAILED = "UpgradeStepFailed";
    String UPGRADE_SUCCEEDED = "UpgradeSucceeded";
    String UPGRADE_FAILED = "UpgradeFailed";
    String MOVE_SUPERSEDED = "MoveSuperseded";
    String POD_TAKEN_OVER = "PodTakenOver";
    String API_REJECTED = "ApiRejected";

    void normal(ErlangRelease cr, String reason, String message);

    void warning(ErlangRelease cr, String reason, String message);

    /**
     * A Warning that may repeat (a step retried, a node that stays away): the first one with this {@code key} is
     * written, later ones bump its count and lastTimestamp (and carry the newest message), as kubelet does.
     */
    default void warningOnce(ErlangRelease cr, String reason, String key, String message) {
        warning(cr, reason, message);
    }
}
