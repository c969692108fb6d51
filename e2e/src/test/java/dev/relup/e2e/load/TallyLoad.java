package dev.relup.e2e.load;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.relup.engine.node.NodeRoutes;

/**
 * Client load on the tally sample: persistent connections spread over the pods, each sending {@code add K} at a
 * fixed rate and checking every reply against the state it must hold (the running sum and the count of adds of
 * THIS connection), so a connection whose state was lost or mangled by a move fails at its next request. Counts
 * failed requests (a wrong reply, or none: the connection broke with the request in flight), dropped connections,
 * latencies, and which version answered (0.2.0 adds {@code v=2}).
 *
 * <p>Two modes. {@link #start(List, NodeRoutes, int, Duration)}: a dropped connection stays dropped (a hot move must
 * drop none). {@link #startReconnecting}: a dropped connection is opened again to the same target (resolved again:
 * a restarted pod has a new IP) as soon as it answers, with a new per-connection state on both sides, so requests
 * after a restart still measure latency; the time without a connection is counted as downtime.
 *
 * <p>Every request is kept as a {@link Sample} (when it was sent, its latency, its outcome), so that the figures of
 * a time window (e.g. a move) can be taken from a load that ran longer ({@link #window}).
 */
public final class TallyLoad implements AutoCloseable {

    /**
     * What the load saw; {@code dropped}: connections lost (a reconnecting connection can be lost more than once);
     * {@code versions}: per connection, the versions that answered, in order, repeats folded; {@code wrong}: the
     * failed requests whose reply came but did not carry the connection's state (the others got no reply).
     */
    public record Figures(int connections, long requests, long failed, long dropped, long p50Micros, long p99Micros,
            long maxMicros, List<List<String>> versions, List<String> errors, long reconnects, long downtimeMillis,
            long wrong) {

        public String summary() {
            return connections + " connections, " + requests + " requests, " + failed + " failed, " + dropped
                    + " dropped, " + reconnects + " reconnected (" + downtimeMillis + " ms without a connection), latency p50 "
                    + p50Micros + " us, p99 " + p99Micros + " us, max " + maxMicros + " us";
        }
    }

    /** How a request ended: a right reply, a wrong one (the connection's state was not continued), or none. */
    public enum Outcome { OK, WRONG, NO_REPLY }

    /** One request: sent at {@code atNanos} ({@link System#nanoTime()}), answered after {@code micros} (if at all). */
    public record Sample(long atNanos, long micros, Outcome outcome) {
    }

    /** A connection lost at {@code atNanos}; {@code downNanos}: until it was open again (or the load stopped). */
    public record Drop(long atNanos, long downNanos) {
    }

    /** Where a connection goes, resolved at each (re)connection: e.g. a pod's current IP, if it is ready. */
    @FunctionalInterface
    public interface Target {
        InetSocketAddress resolve() throws IOException;

        static Target fixed(InetSocketAddress address) {
            return () -> address;
        }
    }

    private static final Duration RECONNECT_PAUSE = Duration.ofMillis(200);

    private final List<Client> clients = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    private TallyLoad() {
    }

    /**
     * Opens {@code perTarget} connections to each target (over {@code routes}) and starts sending, one request every
     * {@code interval}. A dropped connection stays dropped.
     */
    public static TallyLoad start(List<InetSocketAddress> targets, NodeRoutes routes, int perTarget, Duration interval)
            throws IOException {
        return start(targets.stream().map(Target::fixed).toList(), routes, perTarget, interval, false);
    }

    /** As {@link #start(List, NodeRoutes, int, Duration)}, but a dropped connection is opened again. */
    public static TallyLoad startReconnecting(List<Target> targets, NodeRoutes routes, int perTarget, Duration interval)
            throws IOException {
        return start(targets, routes, perTarget, interval, true);
    }

    private static TallyLoad start(List<Target> targets, NodeRoutes routes, int perTarget, Duration interval,
            boolean reconnect) throws IOException {
        TallyLoad load = new TallyLoad();
        try {
            for (Target target : targets) {
                for (int i = 0; i < perTarget; i++) {
                    load.clients.add(new Client(target, routes, interval, reconnect, load.running));
                }
            }
        } catch (IOException e) {
            load.running.set(false);
            load.clients.forEach(Client::close);
            throw e;
        }
        load.clients.forEach(c -> c.thread.start());
        return load;
    }

    /** Stops sending (each connection finishes its request in flight) and returns the figures of the whole run. */
    public Figures stop() throws InterruptedException {
        if (running.getAndSet(false)) {
            for (Client c : clients) {
                c.thread.join(10_000);
                c.close();
            }
        }
        return window(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** The figures of the requests sent and the connections dropped between two {@link System#nanoTime()} readings. */
    public Figures window(long fromNanos, long toNanos) {
        long requests = 0;
        long failed = 0;
        long wrong = 0;
        long dropped = 0;
        long reconnects = 0;
        long downNanos = 0;
        List<Long> latencies = new ArrayList<>();
        List<List<String>> versions = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Client c : clients) {
            for (Sample s : c.samples()) {
                if (s.atNanos() < fromNanos || s.atNanos() > toNanos) {
                    continue;
                }
                requests++;
                if (s.outcome() != Outcome.OK) {
                    failed++;
                }
                if (s.outcome() == Outcome.WRONG) {
                    wrong++;
                }
                if (s.outcome() != Outcome.NO_REPLY) {
                    latencies.add(s.micros());
                }
            }
            for (Drop d : c.drops()) {
                if (d.atNanos() >= fromNanos && d.atNanos() <= toNanos) {
                    dropped++;
                    downNanos += d.downNanos();
                }
            }
            reconnects += c.reconnects;
            versions.add(c.versions());
            errors.addAll(c.errors());
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Figures(clients.size(), requests, failed, dropped, percentile(sorted, 50), percentile(sorted, 99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1], versions,
                errors.subList(0, Math.min(errors.size(), 20)), reconnects, downNanos / 1_000_000, wrong);
    }

    /** Every request so far, of every connection, in the order sent. */
    public List<Sample> samples() {
        List<Sample> all = new ArrayList<>();
        clients.forEach(c -> all.addAll(c.samples()));
        all.sort(java.util.Comparator.comparingLong(Sample::atNanos));
        return all;
    }

    /** Every connection lost so far, in time order. */
    public List<Drop> drops() {
        List<Drop> all = new ArrayList<>();
        clients.forEach(c -> all.addAll(c.drops()));
        all.sort(java.util.Comparator.comparingLong(Drop::atNanos));
        return all;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static long percentile(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** One connection (opened again after a drop when reconnecting): its own thread, its own expected state. */
    private static final class Client {
        final Thread thread;
        final Target target;
        final NodeRoutes routes;
        final boolean reconnect;
        private final List<Sample> samples = new ArrayList<>();
        private final List<Drop> drops = new ArrayList<>();
        private final List<String> versions = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();
        private Socket socket;
        private Closeable route;
        volatile long reconnects;

        Client(Target target, NodeRoutes routes, Duration interval, boolean reconnect, AtomicBoolean running)
                throws IOException {
            this.target = target;
            this.routes = routes;
            this.reconnect = reconnect;
            connect();
            String name = "tally-load " + socket.getRemoteSocketAddress() + " #" + socket.getLocalPort();
            thread = new Thread(() -> run(interval, running, name), name);
            thread.setDaemon(true);
        }

        private synchronized void connect() throws IOException {
            InetSocketAddress address = target.resolve();
            NodeRoutes.Route r = routes.open(address.getHostString(), address.getPort());
            Socket s = new Socket();
            try {
                s.connect(r.address(), 5_000);
                s.setSoTimeout(5_000);
                s.setTcpNoDelay(true);
            } catch (IOException e) {
                s.close();
                r.release().close();
                throw e;
            }
            socket = s;
            route = r.release();
        }

        synchronized List<Sample> samples() {
            return List.copyOf(samples);
        }

        synchronized List<Drop> drops() {
            return List.copyOf(drops);
        }

        synchronized List<String> versions() {
            return List.copyOf(versions);
        }

        synchronized List<String> errors() {
            return List.copyOf(errors);
        }

        private synchronized void record(Sample s) {
            samples.add(s);
        }

        private synchronized void error(String e) {
            errors.add(e);
        }

        private void run(Duration interval, AtomicBoolean running, String name) {
            try {
                while (running.get()) {
                    long droppedAt = converse(interval, running, name);
                    if (droppedAt == 0 || !reconnect) {
                        return;
                    }
                    close();
                    while (running.get()) {
                        Thread.sleep(RECONNECT_PAUSE.toMillis());
                        try {
                            connect();
                            reconnects++;
                            break;
                        } catch (IOException e) {
                            // not back yet (a restarted pod not ready, a port-forward refused): try again
                        }
                    }
                    synchronized (this) {
                        drops.set(drops.size() - 1, new Drop(droppedAt, System.nanoTime() - droppedAt));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Requests on the current connection, with a new expected state, until the load stops (0) or the connection
         * drops (when, as a {@link System#nanoTime()} reading).
         */
        private long converse(Duration interval, AtomicBoolean running, String name) throws InterruptedException {
            long sum = 0;
            long n = 0;
            long requests = 0;
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = socket.getOutputStream();
                long next = System.nanoTime();
                while (running.get()) {
                    long k = n % 7 + 1;
                    long t0 = System.nanoTime();
                    String reply;
                    try {
                        out.write(("add " + k + "\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        reply = in.readLine();
                        if (reply == null) {
                            throw new IOException("connection closed by the server");
                        }
                    } catch (IOException e) {
                        long now = System.nanoTime();
                        record(new Sample(t0, (now - t0) / 1_000, Outcome.NO_REPLY));
                        synchronized (this) {
                            drops.add(new Drop(now, 0));
                        }
                        error(name + ": dropped after " + requests + " requests on this connection: " + e);
                        return now;
                    }
                    long micros = (System.nanoTime() - t0) / 1_000;
                    requests++;
                    sum += k;
                    n++;
                    String problem = check(reply, sum, n);
                    record(new Sample(t0, micros, problem == null ? Outcome.OK : Outcome.WRONG));
                    if (problem != null) {
                        error(name + ": " + problem);
                    }
                    next += interval.toNanos();
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                return 0;
            } catch (IOException e) {
                long now = System.nanoTime();
                synchronized (this) {
                    drops.add(new Drop(now, 0));
                }
                error(name + ": dropped: " + e);
                return now;
            }
        }

        /** Null when the reply is right for this connection's state, else what is wrong. */
        private String check(String reply, long sum, long n) {
            List<String> fields = Arrays.asList(reply.trim().split(" "));
            String version = fields.contains("v=2") ? "0.2.0" : "0.1.0";
            synchronized (this) {
                if (versions.isEmpty() || !versions.get(versions.size() - 1).equals(version)) {
                    versions.add(version);
                }
            }
            if (!fields.contains("sum=" + sum) || !fields.contains("n=" + n)) {
                return "expected sum=" + sum + " n=" + n + ", got '" + reply + "'";
            }
            if (version.equals("0.2.0")) {
                String avg = fields.stream().filter(f -> f.startsWith("avg=")).findFirst().orElse(null);
                if (avg == null || Math.abs(Double.parseDouble(avg.substring(4)) - (double) sum / n) > 0.006) {
                    return "expected avg=" + (double) sum / n + ", got '" + reply + "'";
                }
            }
            return null;
        }

        synchronized void close() {
            try (Closeable r = route) {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing after the figures are taken, or after a drop
            }
        }
    }
}
