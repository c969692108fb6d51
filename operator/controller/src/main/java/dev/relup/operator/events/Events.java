package dev.relup.operator.events;

import java.time.Instant;

import dev.relup.api.v1alpha1.ErlangRelease;

/** Kubernetes Events on an ErlangRelease. Messages never contain the cookie (nothing passes it here). */
public interface Events {

    String WORKLOAD_APPLIED = "WorkloadApplied";
    String MOVE_STARTED = "MoveStarted";
    String BUILD_STARTED = "BuildStarted";
    String PACKAGE_READY = "PackageReady";
    String PLAN_READY = "PlanReady";
    String REHEARSAL_PASSED = "RehearsalPassed";
    String METHOD_CHOSEN = "MethodChosen";
    String RESTART_FALLBACK = "RestartFallback";
    String POD_UPGRADED = "PodUpgraded";
    String POD_RESTARTED = "PodRestarted";
    String STEP_FAILED = "UpgradeStepFailed";
    String UPGRADE_SUCCEEDED = "UpgradeSucceeded";
    String ROUTE_PLANNED = "RoutePlanned";
    String HOP_SUCCEEDED = "HopSucceeded";
    String UPGRADE_FAILED = "UpgradeFailed";
    String MOVE_SUPERSEDED = "MoveSuperseded";
    String POD_TAKEN_OVER = "PodTakenOver";
    String API_REJECTED = "ApiRejected";
    String NODE_UNREACHABLE = "NodeUnreachable";
    String HEALTH_CHECK_PASSED = "HealthCheckPassed";
    String CANARY_SOAKING = "CanarySoaking";
    String ROLLING_BACK = "RollingBack";
    String POD_ROLLED_BACK = "PodRolledBack";
    String ROLLED_BACK = "RolledBack";
    String NODE_RESTARTED = "NodeRestarted";
    String CONFIG_REJECTED = "ConfigRejected";
    String CONFIG_APPLIED = "ConfigApplied";
    String CONFIG_APPLY_FAILED = "ConfigApplyFailed";
    String CONFIG_ROLLING_BACK = "ConfigRollingBack";
    String CONFIG_ROLLED_BACK = "ConfigRolledBack";
    String CONFIG_FAILED = "ConfigFailed";
    String CONFIG_ROLLED_OUT = "ConfigRolledOut";

    void normal(ErlangRelease cr, String reason, String message);

    void warning(ErlangRelease cr, String reason, String message);

    /**
     * A Warning that may repeat (a step retried, a node that stays away) about one {@code subject} (a pod): the first
     * is written; later ones update the Event of that reason and subject (count, lastTimestamp, newest message with
     * how often it happened) at growing intervals per subject, so a pod in trouble for a minute is reported a handful
     * of times, not once per pass.
     */
    default void warningRepeated(ErlangRelease cr, String reason, String subject, String message, Instant now) {
        warning(cr, reason, message);
    }
}
