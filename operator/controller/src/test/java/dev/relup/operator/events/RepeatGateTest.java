package dev.relup.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RepeatGateTest {

    private final RepeatGate gate = new RepeatGate(Duration.ofSeconds(5), Duration.ofMinutes(10));
    private final Instant t0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aConditionSeenEverySecondForAMinuteIsWrittenFourTimes() {
        List<Long> writtenAt = new ArrayList<>();
        for (int s = 0; s <= 60; s++) {
            if (gate.occurred("pod-1", t0.plusSeconds(s)).write()) {
                writtenAt.add((long) s);
            }
        }
        assertThat(writtenAt).containsExactly(0L, 5L, 15L, 35L);
        RepeatGate.Verdict last = gate.occurred("pod-1", t0.plusSeconds(61));
        assertThat(last.occurrences()).isEqualTo(62);
        assertThat(last.since()).isEqualTo(t0);
    }

    @Test
    void keysAreCountedApartAndALongQuietStartsANewSeries() {
        assertThat(gate.occurred("a", t0).write()).isTrue();
        assertThat(gate.occurred("b", t0.plusSeconds(1)).write()).isTrue();
        assertThat(gate.occurred("a", t0.plusSeconds(2)).write()).isFalse();
        RepeatGate.Verdict later = gate.occurred("a", t0.plus(Duration.ofMinutes(30)));
        assertThat(later.write()).isTrue();
        assertThat(later.writes()).isEqualTo(1);
        assertThat(later.since()).isEqualTo(t0.plus(Duration.ofMinutes(30)));
    }

    @Test
    void theWaitDoublesUpToItsCap() {
        gate.occurred("k", t0);
        int writes = 0;
        for (int s = 1; s <= 3600; s++) { // an hour, one occurrence a second
            if (gate.occurred("k", t0.plusSeconds(s)).write()) {
                writes++;
            }
        }
        assertThat(writes).as("after 5, 10, 20, ... 320 s, then every 600 s").isEqualTo(11);
    }
}
