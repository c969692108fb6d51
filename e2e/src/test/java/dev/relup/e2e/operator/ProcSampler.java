package dev.relup.e2e.operator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples a process's resident memory ({@code VmRSS} of /proc/PID/status) and CPU time ({@code utime + stime} of
 * /proc/PID/stat, in clock ticks) every {@link #PERIOD_MILLIS} ms on a thread of its own, so that the usage of any
 * time window can be read afterwards ({@link #window}). Linux only.
 */
final class ProcSampler implements AutoCloseable {

    static final long PERIOD_MILLIS = 250;
    /** USER_HZ: clock ticks per second of /proc/PID/stat; 100 on every Linux architecture the project runs on. */
    static final double TICKS_PER_SECOND = 100.0;

    /** One reading: when ({@link System#nanoTime()}), RSS in kB, CPU time so far in ticks, threads. */
    record Reading(long atNanos, long rssKb, long cpuTicks, int threads) {
    }

    /**
     * The usage over a window: RSS mean and max (MB), CPU busy as a percentage of one core, CPU seconds used,
     * the window's length, and the most threads seen.
     */
    record Usage(double rssMeanMb, double rssMaxMb, double cpuPercent, double cpuSeconds, double seconds, int threadsMax) {

        String summary() {
            return String.format("RSS mean %.0f MB, max %.0f MB; CPU %.1f%% of a core (%.1f s of CPU in %.1f s); "
                    + "threads up to %d", rssMeanMb, rssMaxMb, cpuPercent, cpuSeconds, seconds, threadsMax);
        }
    }

    private final long pid;
    private final List<Reading> readings = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String failure;

    ProcSampler(long pid) {
        this.pid = pid;
        this.thread = new Thread(this::run, "proc-sampler-" + pid);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                Reading r = read(pid);
                synchronized (this) {
                    readings.add(r);
                }
                Thread.sleep(PERIOD_MILLIS);
            } catch (IOException e) {
                failure = "reading /proc/" + pid + ": " + e;
                return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One reading of {@code pid} now. */
    static Reading read(long pid) throws IOException {
        long rss = -1;
        int threads = -1;
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
            }
        }
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        // the command name (field 2) is in parentheses and may hold spaces: count fields after its ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long utime = Long.parseLong(f[11]); // field 14 of the whole line
        long stime = Long.parseLong(f[12]); // field 15
        if (rss < 0) {
            throw new IOException("no VmRSS in /proc/" + pid + "/status");
        }
        return new Reading(System.nanoTime(), rss, utime + stime, threads);
    }

    /** The usage between two {@link System#nanoTime()} readings; fails when the sampler has too few readings there. */
    synchronized Usage window(long fromNanos, long toNanos) {
        if (failure != null) {
            throw new IllegalStateException("the operator's usage could not be sampled: " + failure);
        }
        List<Reading> in = readings.stream().filter(r -> r.atNanos() >= fromNanos && r.atNanos() <= toNanos).toList();
        if (in.size() < 2) {
            throw new IllegalStateException("only " + in.size() + " readings of the operator's usage in a window of "
                    + (toNanos - fromNanos) / 1_000_000 + " ms (one every " + PERIOD_MILLIS + " ms expected)");
        }
        Reading first = in.get(0);
        Reading last = in.get(in.size() - 1);
        double seconds = (last.atNanos() - first.atNanos()) / 1e9;
        double cpuSeconds = (last.cpuTicks() - first.cpuTicks()) / TICKS_PER_SECOND;
        double mean = in.stream().mapToLong(Reading::rssKb).average().orElse(0) / 1024.0;
        double max = in.stream().mapToLong(Reading::rssKb).max().orElse(0) / 1024.0;
        int threads = in.stream().mapToInt(Reading::threads).max().orElse(0);
        return new Usage(mean, max, 100.0 * cpuSeconds / seconds, cpuSeconds, seconds, threads);
    }

    /** Readings of a window (for charts). */
    synchronized List<Reading> readings(long fromNanos, long toNanos) {
        return readings.stream().filter(r -> r.atNanos() >= fromNanos && r.atNanos() <= toNanos).toList();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(2_000);
    }
}
