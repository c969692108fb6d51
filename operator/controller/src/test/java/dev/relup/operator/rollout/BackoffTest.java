package dev.relup.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromTheBaseAndStopsAtTheCap() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(Backoff.DEFAULT.retryAt(t, 1)).isEqualTo(t.plusSeconds(1));
        assertThat(Backoff.DEFAULT.retryAt(t, 2)).isEqualTo(t.plusSeconds(2));
        assertThat(Backoff.DEFAULT.retryAt(t, 5)).isEqualTo(t.plusSeconds(16));
        assertThat(Backoff.DEFAULT.retryAt(t, 6)).isEqualTo(t.plusSeconds(30));
        assertThat(Backoff.DEFAULT.retryAt(t, 500)).isEqualTo(t.plusSeconds(30));
    }

    @Test
    void aNodeAwayForAMinuteIsTriedAFewTimesNotEveryPass() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Instant now = t;
        int attempts = 0;
        while (now.isBefore(t.plusSeconds(60))) {
            attempts++;
            now = Backoff.DEFAULT.retryAt(now, attempts);
        }
        assertThat(attempts).isBetween(5, 7); // 1+2+4+8+16+30 s
    }
}
