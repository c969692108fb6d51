package dev.relup.operator.rollout;

import java.time.Duration;
import java.time.Instant;

/** When a failed step is tried again: {@code base * 2^(attempts-1)}, capped, so a node that stays away costs little. */
public record Backoff(Duration base, Duration cap) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    public Instant retryAt(Instant failedAt, int attempts) {
        long factor = 1L << Math.min(Math.max(attempts - 1, 0), 20);
        Duration wait = base.multipliedBy(factor);
        return failedAt.plus(wait.compareTo(cap) > 0 ? cap : wait);
    }
}
