package dev.relup.operator.observe;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.relup.api.v1alpha1.ErlangRelease;

/**
 * Counts, per ErlangRelease, the passes that changed its nodes (a hot step, a live config change). A poll notes the
 * count when it begins; its answer describes the nodes as they are only while the count has not moved since. Without
 * it a pass trusted a poll from before a move: 0.1.0 -> 0.2.0, back to 0.1.0 inside the poller's idle wait, then
 * 0.2.0 again read "every pod runs 0.2.0" off the first move's last poll and moved nothing. A count, not a clock: a
 * poll that began while a step ran sees the count from before the step, whatever the clocks say.
 */
public final class NodeChanges {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    /** How many changes to the nodes of {@code cr} have completed. */
    public long count(ErlangRelease cr) {
        AtomicLong c = counts.get(key(cr));
        return c == null ? 0 : c.get();
    }

    /** A pass finished changing the nodes of {@code cr} (or tried to: a failed step may have changed them too). */
    public void changed(ErlangRelease cr) {
        counts.computeIfAbsent(key(cr), k -> new AtomicLong()).incrementAndGet();
    }

    private static String key(ErlangRelease cr) {
        return cr.getMetadata().getNamespace() + "/" + cr.getMetadata().getName();
    }
}
