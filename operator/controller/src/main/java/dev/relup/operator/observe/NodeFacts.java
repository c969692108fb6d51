package dev.relup.operator.observe;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What does not change while a node keeps running, remembered per pod so that each pass asks the node only
 * {@code which_releases}: that its boot finished (true until the BEAM stops), and that its start script boots
 * its permanent version (true until another version is made permanent). A false is never remembered: it is
 * asked again until it turns true. An unreachable node forgets its facts (its BEAM may come back as a new one) but
 * for since when it has been silent.
 */
final class NodeFacts {

    private record Facts(boolean started, String scriptCurrentFor, Instant silentSince) {}

    private final Map<String, Facts> byPod = new ConcurrentHashMap<>();

    /** {@code key}: the pod's uid and its container's restart count (a new BEAM, new facts). */
    boolean started(String key) {
        Facts f = byPod.get(key);
        return f != null && f.started();
    }

    boolean scriptCurrent(String key, String permanentVersion) {
        Facts f = byPod.get(key);
        return f != null && permanentVersion.equals(f.scriptCurrentFor());
    }

    void remember(String key, boolean started, String permanentVersion, boolean scriptCurrent) {
        byPod.put(key, new Facts(started, scriptCurrent ? permanentVersion : null, null));
    }

    /**
     * The node of {@code key} did not answer at {@code now}: its other facts are forgotten (it may come back as a
     * new BEAM); returns since when it has not answered (the first failure in a row).
     */
    Instant silent(String key, Instant now) {
        return byPod.compute(key, (k, f) -> new Facts(false, null, f != null && f.silentSince() != null
                ? f.silentSince() : now)).silentSince();
    }
}
