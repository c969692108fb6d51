package dev.relup.engine.upgrade;

/** How long one step took; {@code note} says what it did (e.g. "skipped: already unpacked"). */
public record StepTiming(Step step, long millis, String note) {
}
