package dev.relup.operator.observe;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Everything one reconcile pass knows about the world, gathered before deciding. Pods are sorted by ordinal.
 *
 * @param statefulSetPresent the StatefulSet exists
 * @param templateImage the image of its pod template (null when absent)
 * @param workloadHash the hash annotation the operator put on it (null when absent)
 * @param build the build Job of the move in flight (empty when no move needs one)
 * @param cachedPackage the package of the move in flight in the operator's cache (verified sha256)
 */
public record Observation(
        boolean statefulSetPresent,
        String templateImage,
        String workloadHash,
        List<PodObservation> pods,
        Optional<BuildObservation> build,
        Optional<CachedPackage> cachedPackage) {

    public Observation {
        pods = pods.stream().sorted(Comparator.comparingInt(PodObservation::ordinal)).toList();
    }

    public Optional<PodObservation> pod(String name) {
        return pods.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
