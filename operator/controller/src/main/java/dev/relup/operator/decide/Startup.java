package dev.relup.operator.decide;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.relup.operator.decide.Action.Stuck;
import dev.relup.operator.observe.PodObservation;

/**
 * Pods that will not come up by waiting: a kubelet or scheduler reason (image pull, crash loop, unschedulable)
 * is reported at once; a node that never answered is reported once the pod-ready deadline from the pod's creation
 * has passed. Either way the release is Degraded with the pods named, until they come up.
 */
final class Startup {

    private Startup() {
    }

    static Optional<Action> check(List<PodObservation> pods, Instant now, Duration podReady) {
        List<String> failing = pods.stream().filter(p -> p.problem() != null && !p.reachable())
                .map(p -> "pod " + p.name() + ": " + p.problem()).toList();
        if (!failing.isEmpty()) {
            return Optional.of(new Stuck(Reasons.PODS_FAILING, String.join("; ", failing)));
        }
        List<String> silent = pods.stream()
                .filter(p -> !p.reachable() && !p.terminating() && p.created() != null
                        && Duration.between(silentSince(p), now).compareTo(podReady) > 0)
                .map(p -> "pod " + p.name() + " (created " + p.created() + ") has no answering node after "
                        + Describe.human(podReady) + Describe.whyNotAnswering(p))
                .toList();
        return silent.isEmpty() ? Optional.empty()
                : Optional.of(new Stuck(Reasons.NODES_NOT_ANSWERING, String.join("; ", silent)));
    }

    /**
     * Since when the pod's node has not answered: since the pod was created, or since this BEAM stopped answering
     * when that is later (a node that served for a day and misses one poll is not silent for a day).
     */
    private static Instant silentSince(PodObservation p) {
        Instant since = p.node() == null ? null : p.node().silentSince();
        return since != null && since.isAfter(p.created()) ? since : p.created();
    }
}
