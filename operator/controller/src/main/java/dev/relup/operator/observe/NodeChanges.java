package dev.relup.operator.observe;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.relup.api.v1alpha1.ErlangRelease;

/**
 * Counts, per pod of an ErlangRelease, the passes that changed its node (a hot step, a live config change). A poll
 * of a node notes the pod's count when it begins; its answer describes the node as it is while that count has not
 * moved since. Without it a pass trusted a poll from before a move: 0.1.0 -> 0.2.0, back to 0.1.0 inside the
 * poller's idle wait, then 0.2.0 again read "every pod runs 0.2.0" off the first move's last poll and moved nothing.
 * A count, not a clock: a poll that began while a step ran sees the count from before the step, whatever the clocks
 * say. Per pod, so that a move asks again only the nodes it changed, not every node of the release in every pass.
 */
public final class NodeChanges {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    /** How many changes to the node of {@code pod} have completed. */
    public long count(ErlangRelease cr, String pod) {
        AtomicLong c = counts.get(key(cr, pod));
        return c == null ? 0 : c.get();
    }

    /** A pass finished changing the nodes of {@code pods} (or tried to: a failed step may have changed them too). */
    public void changed(ErlangRelease cr, Collection<String> pods) {
        for (String pod : pods) {
            counts.computeIfAbsent(key(cr, pod), k -> new AtomicLong()).incrementAndGet();
        }
    }

    private static String key(ErlangRelease cr, String pod) {
        return cr.getMetadata().getNamespace() + "/" + cr.getMetadata().getName() + "/" + pod;
    }
}
