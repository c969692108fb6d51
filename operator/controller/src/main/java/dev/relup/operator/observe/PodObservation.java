package dev.relup.operator.observe;

import java.time.Instant;
import java.util.Optional;

import dev.relup.operator.node.NodeRef;

/**
 * One pod of the StatefulSet and its node.
 *
 * @param ref how to reach its node (pod IP and cookie), null while it has no IP or the cookie is unknown: what act
 *            needs, so that acting reads nothing again
 * @param problem why the pod cannot start, in the kubelet's or scheduler's words ({@link PodProblems}), or null
 * @param gate    the pod's {@link NodeReadiness} gate: absent when its spec has none (made by an older operator)
 */
public record PodObservation(
        String name,
        String uid,
        int ordinal,
        String ip,
        String image,
        boolean ready,
        boolean terminating,
        int restartCount,
        Instant created,
        NodeObservation node,
        NodeRef ref,
        String problem,
        NodeReadiness.Gate gate) {

    public Optional<NodeRef> nodeRef() {
        return Optional.ofNullable(ref);
    }

    public boolean reachable() {
        return node != null && node.reachable();
    }

    public boolean settledOn(String version) {
        return node != null && node.settledOn(version);
    }
}
