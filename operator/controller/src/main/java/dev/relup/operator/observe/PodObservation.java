package dev.relup.operator.observe;

import java.time.Instant;

/** One pod of the StatefulSet and its node. */
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
        NodeObservation node) {

    public boolean reachable() {
        return node != null && node.reachable();
    }

    public boolean settledOn(String version) {
        return node != null && node.settledOn(version);
    }
}
