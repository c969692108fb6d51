package dev.relup.operator.rollout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.relup.engine.upgrade.Step;
import dev.relup.engine.upgrade.StepTiming;

/**
 * The steps this operator process did on each pod of a move, for the PodUpgraded event (what was done, how long
 * each took) and to tell a pod it finishes from one it moved itself: a pod whose first step here is past the
 * install was installed by an earlier run (the operator restarted, or another replica led). Memory only: what
 * matters for correctness is on the node; a restart forgets the timings, not the state.
 */
public final class StepLog {

    private static final int REMEMBERED = 4096;

    private final Map<String, List<StepTiming>> byPod = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<StepTiming>> eldest) {
            return size() > REMEMBERED;
        }
    });

    /** {@code move}: identifies the move (resource uid, from, to); {@code pod}: the pod's name. */
    public static String key(String move, String pod) {
        return move + "/" + pod;
    }

    public void add(String key, List<StepTiming> timings) {
        byPod.computeIfAbsent(key, k -> new ArrayList<>()).addAll(timings);
    }

    /** Steps recorded for the pod, in order (empty when this process did none). */
    public List<StepTiming> steps(String key) {
        return List.copyOf(byPod.getOrDefault(key, List.of()));
    }

    public boolean did(String key, Step step) {
        return steps(key).stream().anyMatch(t -> t.step() == step);
    }

    public void forget(String key) {
        byPod.remove(key);
    }
}
