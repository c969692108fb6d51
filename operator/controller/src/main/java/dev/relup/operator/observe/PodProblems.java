package dev.relup.operator.observe;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

/**
 * Why a pod cannot start, in the kubelet's and the scheduler's words (image pull, crash loop, unschedulable, a
 * failed init container), so that the status says it at once instead of "starting" for as long as it lasts.
 */
public final class PodProblems {

    /** Waiting reasons that do not go away by waiting a little. */
    static final List<String> FAILING = List.of("ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull",
            "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "CrashLoopBackOff",
            "RunContainerError");

    private PodProblems() {
    }

    /** The first problem of the pod: unschedulable, an init container that failed or cannot start, the main ones. */
    public static Optional<String> of(Pod pod) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        if (pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                    return Optional.of((c.getReason() == null ? "Unschedulable" : c.getReason())
                            + (c.getMessage() == null ? "" : ": " + c.getMessage()));
                }
            }
        }
        return initFailure(pod).or(() -> containers(pod.getStatus().getContainerStatuses(), ""));
    }

    /** An init container that exited non-zero, or cannot start. */
    public static Optional<String> initFailure(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null) {
            return Optional.empty();
        }
        for (ContainerStatus s : pod.getStatus().getInitContainerStatuses()) {
            ContainerStateTerminated t = s.getState() == null ? null : s.getState().getTerminated();
            if (t != null && t.getExitCode() != null && t.getExitCode() != 0) {
                String msg = t.getMessage() == null || t.getMessage().isBlank() ? t.getReason() : t.getMessage().strip();
                return Optional.of("Init:" + s.getName() + " (" + s.getImage() + ") exited " + t.getExitCode() + ": " + msg);
            }
        }
        return containers(pod.getStatus().getInitContainerStatuses(), "Init:");
    }

    private static Optional<String> containers(List<ContainerStatus> statuses, String prefix) {
        if (statuses == null) {
            return Optional.empty();
        }
        for (ContainerStatus s : statuses) {
            ContainerStateWaiting w = s.getState() == null ? null : s.getState().getWaiting();
            if (w != null && FAILING.contains(w.getReason())) {
                return Optional.of(prefix + w.getReason() + " (container " + s.getName() + ", image " + s.getImage() + ")"
                        + (w.getMessage() == null ? "" : ": " + w.getMessage()));
            }
        }
        return Optional.empty();
    }
}
