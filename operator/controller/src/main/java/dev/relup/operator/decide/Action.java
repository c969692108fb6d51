package dev.relup.operator.decide;

import java.time.Instant;
import java.util.List;

import dev.relup.api.v1alpha1.Method;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.MoveResult;

/**
 * The one next thing a reconcile pass does. Produced by {@link Decider}, carried out by the reconciler. How soon
 * the next pass comes is a property of the action ({@link #pace()}).
 */
public sealed interface Action {

    /** How soon the next pass should come after this action. */
    enum Pace {
        /** The next step can follow at once. */
        AT_ONCE,
        /** Waiting for something outside (a build, a pod, a node): poll now and then; events wake us earlier. */
        WAITING,
        /** All is well, or nothing will change until the spec does: the periodic check only. */
        IDLE
    }

    /** Short, stable name (used in logs and tests). */
    default String name() {
        return getClass().getSimpleName();
    }

    default Pace pace() {
        return Pace.AT_ONCE;
    }

    /** The pods whose nodes carrying it out changes (what they run, their live configuration): earlier polls of them are stale. */
    default List<String> changesNodes() {
        return List.of();
    }

    /** Create or update the cookie Secret, the headless Service and the StatefulSet (pod template image given). */
    record ApplyWorkload(String templateImage, String why) implements Action {}

    /** Set the pods' readiness gate condition ({@code NodeReadiness}): true when the node serves, false when not. */
    record SetNodeReady(java.util.Map<String, Boolean> pods) implements Action {}

    /**
     * Nothing to do until something changes; {@code reason} becomes the condition reason. {@code warnAbout}: the pod
     * whose trouble holds a move up (a node gone silent), worth a Warning event; null when waiting is normal.
     */
    record Wait(String reason, String message, String warnAbout) implements Action {
        public Wait(String reason, String message) {
            this(reason, message, null);
        }

        @Override
        public Pace pace() {
            return Reasons.DEGRADED.equals(reason) ? Pace.IDLE : Pace.WAITING;
        }
    }

    /**
     * Pods that cannot start (the kubelet's or scheduler's reason) or nodes that never answered within the pod-ready
     * deadline: Degraded while it lasts, checked again at the waiting pace.
     */
    record Stuck(String reason, String message) implements Action {
        @Override
        public Pace pace() {
            return Pace.WAITING;
        }
    }

    /** A step failed and is retried at {@code at} (exponential backoff): nothing to do until then. */
    record RetryLater(String message, Instant at) implements Action {
        @Override
        public Pace pace() {
            return Pace.WAITING;
        }
    }

    /** All pods run the desired version, permanently, and are ready. */
    record Idle() implements Action {
        @Override
        public Pace pace() {
            return Pace.IDLE;
        }
    }

    /** Record the intent of a move in status; nothing else is touched in this pass. */
    record StartMove(Move move) implements Action {}

    /** Create the build Job of the move (replacing a finished one of the same name whose package was lost). */
    record StartBuild(String jobName) implements Action {
        @Override
        public Pace pace() {
            return Pace.WAITING;
        }
    }

    /** Copy the report and package out of the build Job's pod into the cache, verify sha256, release the Job. */
    record FetchPackage(String jobName, String podName, String podIp, java.time.Instant servingSince) implements Action {}

    /** Fix how the move reaches the pods. {@code fallback}: Auto gave up on Hot. */
    record ChooseMethod(Method method, String reason, String message, boolean fallback) implements Action {}

    /**
     * The next steps of the engine's step machine (transfer, unpack, install, make_permanent, start script copy)
     * toward {@code to} on each of these pods, in parallel, as many as fit in the pass budget ({@code
     * relup.move.pass-budget}). {@code to} is the move's target, or its from-version while a rollback takes the moved
     * pods back.
     */
    record HotMove(List<String> pods, String to, boolean canary) implements Action {
        @Override
        public List<String> changesNodes() {
            return pods;
        }
    }

    /**
     * These pods finished their move: run the health check on each ({@code spec.healthCheck}); for the canary also
     * note which boot of its node answered, for its soak. A failed check fails the move's step on that pod.
     */
    record Verify(List<String> pods, boolean canary) implements Action {}

    /** The canary soaks until {@code until}: check it again (health, Ready, same BEAM); the others wait. */
    record Soak(String pod, Instant until) implements Action {
        @Override
        public Pace pace() {
            return Pace.WAITING;
        }
    }

    /** A pod's move, its health check or the soak failed under rollback Auto: the moved pods go back to from. */
    record StartRollback(String cause, List<String> moved) implements Action {}

    /** Every moved pod is back on the from-version: the move ends RolledBack (Degraded until the spec changes). */
    record EndRollback(String message) implements Action {}

    /** Delete these pods so the StatefulSet recreates them on the target image. */
    record DeletePods(List<String> pods, boolean canary) implements Action {
        @Override
        public Pace pace() {
            return Pace.WAITING;
        }
    }

    /**
     * The move's target cannot be reached hot from where the pods run, but a version between can: the move in flight
     * becomes its first hop ({@code hop}: to the version between, with the whole route), nothing else changes.
     */
    record Reroute(Move hop, String message) implements Action {}

    /**
     * Every pod reached a hop of the route: the hop ends as a move of its own (history entry, lastStableVersion) and
     * {@code next}, the route's next hop, starts in the same pass, so the release never looks done in between.
     */
    record NextHop(Move next, String message) implements Action {}

    /** The move ends (history entry, lastStableVersion on success). */
    record FinishMove(MoveResult result, String message) implements Action {}

    /** The move cannot go on: Degraded with this reason and message until the spec changes. Pods untouched. */
    record FailMove(String reason, String message) implements Action {}

    /**
     * Not decided but what acting turned into: the API server refused a change with an error that retrying cannot
     * fix (400, 422). Degraded with the server's message; tried again only at the idle pace.
     */
    record Rejected(String message) implements Action {
        @Override
        public Pace pace() {
            return Pace.IDLE;
        }
    }

    // ---- live configuration (ConfigSteps) ---------------------------------------------------------------------

    /** Ask the node of {@code pod} what spec.config means (its canonical overrides) or why it is rejected; no pod changes. */
    record ValidateConfig(String pod, String text) implements Action {}

    /**
     * Apply the spec's overrides in place on these pods and persist them for their running release; {@code back}:
     * each gets the overrides it ran before the rollout instead (a rollback).
     */
    record ApplyConfig(List<String> pods, boolean canary, boolean back) implements Action {
        @Override
        public List<String> changesNodes() {
            return pods;
        }
    }

    /** The health check ({@code spec.healthCheck}) on pods whose configuration changed. */
    record VerifyConfig(List<String> pods) implements Action {}

    /** A config change failed under rollback Auto: the pods it changed get their previous overrides back. */
    record StartConfigRollback(String cause, List<String> changed) implements Action {}

    /**
     * The config rollout ends: {@code reason} null when every pod runs the desired config; otherwise it stopped
     * (rolled back or failed) and stays Degraded until spec.config or the retry annotation changes.
     */
    record EndConfig(String reason, String message) implements Action {}

    /** A rejected spec.config or a failed config change waits for a new one: Degraded, pods untouched. */
    record ConfigHeld(String reason, String message) implements Action {
        @Override
        public Pace pace() {
            return Pace.IDLE;
        }
    }
}
