package dev.relup.engine.upgrade;

/** Elapsed milliseconds, monotonic. */
final class Stopwatch {
    private final long start = System.nanoTime();

    long millis() {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
