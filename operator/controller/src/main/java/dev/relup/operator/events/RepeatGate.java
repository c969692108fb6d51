package dev.relup.operator.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides which occurrences of a repeating warning are written: the first at once, later ones only after a wait
 * that doubles from {@code first} up to {@code cap}. A node away for a minute, seen on every one-second pass or at
 * every backoff retry, is thus reported at 0, 5, 15 and 35 s: four writes, not sixty. Occurrences in between are
 * counted, so the next write can say how many there were. An occurrence after {@code cap} of quiet starts a new series.
 */
final class RepeatGate {

    /**
     * What to do with one occurrence: whether to write at all, how many writes so far (1: a new series, a new
     * Event), how many occurrences, since when.
     */
    record Verdict(boolean write, int writes, int occurrences, Instant since) {}

    private static final int REMEMBERED = 512;
    private final Duration first;
    private final Duration cap;
    private final Map<String, State> byKey = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, State> eldest) {
            return size() > REMEMBERED;
        }
    });

    private record State(Instant since, Instant lastWrite, Instant lastSeen, int writes, int occurrences) {}

    RepeatGate(Duration first, Duration cap) {
        this.first = first;
        this.cap = cap;
    }

    Verdict occurred(String key, Instant now) {
        synchronized (byKey) {
            State s = byKey.get(key);
            if (s == null || now.isAfter(s.lastSeen().plus(cap))) { // first, or back after a long quiet: a new series
                byKey.put(key, new State(now, now, now, 1, 1));
                return new Verdict(true, 1, 1, now);
            }
            Duration wait = first.multipliedBy(1L << Math.min(s.writes() - 1, 20));
            boolean write = !now.isBefore(s.lastWrite().plus(wait.compareTo(cap) > 0 ? cap : wait));
            State next = new State(s.since(), write ? now : s.lastWrite(), now, s.writes() + (write ? 1 : 0),
                    s.occurrences() + 1);
            byKey.put(key, next);
            return new Verdict(write, next.writes(), next.occurrences(), s.since());
        }
    }
}
