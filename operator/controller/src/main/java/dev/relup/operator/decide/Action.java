package dev.relup.operator.decide;

import java.util.List;

import dev.relup.api.v1alpha1.Method;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.MoveResult;

/** The one next thing a reconcile pass does. Produced by {@link Decider}, carried out by the reconciler. */
public sealed interface Action {

    /** Short, stable name (used in logs and tests). */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Create or update the cookie Secret, the headless Service and the StatefulSet (pod template image given). */
    record ApplyWorkload(String templateImage, String why) implements Action {}

    /** Nothing to do until something changes; {@code reason} becomes the condition reason. */
    record Wait(String reason, String message) implements Action {}

    /** All pods run the desired version, permanently, and are ready. */
    record Idle() implements Action {}

    /** Record the intent of a move in status; nothing else is touched in this pass. */
    record StartMove(Move move) implements Action {}

    /** Create the build Job of the move (replacing a finished one of the same name whose package was lost). */
    record StartBuild(String jobName) implements Action {}

    /** Copy the report and package out of the build Job's pod into the cache, verify sha256, release the Job. */
    record FetchPackage(String jobName) implements Action {}

    /** Fix how the move reaches the pods. {@code fallback}: Auto gave up on Hot. */
    record ChooseMethod(Method method, String reason, String message, boolean fallback) implements Action {}

    /** release_handler upgrade (or downgrade) of these pods, one after the other, each verified. */
    record HotMove(List<String> pods, boolean canary) implements Action {}

    /** Delete these pods so the StatefulSet recreates them on the target image. */
    record DeletePods(List<String> pods, boolean canary) implements Action {}

    /** The move ends (history entry, lastStableVersion on success). */
    record FinishMove(MoveResult result, String message) implements Action {}

    /** The move cannot go on: Degraded with this reason and message until the spec changes. Pods untouched. */
    record FailMove(String reason, String message) implements Action {}
}
