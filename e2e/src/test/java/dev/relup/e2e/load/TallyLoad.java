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
 * failed requests, dropped connections, latencies, and which version answered (0.2.0 adds {@code v=2}).
 */
public final class TallyLoad implements AutoCloseable {

    /** What the load saw; {@code versions}: per connection, the versions that answered, in order, repeats folded. */
    public record Figures(int connections, long requests, long failed, long dropped, long p50Micros, long p99Micros,
            long maxMicros, List<List<String>> versions, List<String> errors) {

        public String summary() {
            return connections + " connections, " + requests + " requests, " + failed + " failed, " + dropped
                    + " dropped, latency p50 " + p50Micros + " us, p99 " + p99Micros + " us, max " + maxMicros + " us";
        }
    }

    private final List<Client> clients = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    private TallyLoad() {
    }

    /**
     * Opens {@code perTarget} connections to each target (over {@code routes}) and starts sending, one request every
     * {@code interval}.
     */
    public static TallyLoad start(List<InetSocketAddress> targets, NodeRoutes routes, int perTarget, Duration interval)
            throws IOException {
        TallyLoad load = new TallyLoad();
        for (InetSocketAddress target : targets) {
            for (int i = 0; i < perTarget; i++) {
                load.clients.add(new Client(routes.open(target.getHostString(), target.getPort()), target, interval,
                        load.running));
            }
        }
        load.clients.forEach(c -> c.thread.start());
        return load;
    }

    /** Stops sending (each connection finishes its request in flight) and returns the figures. */
    public Figures stop() throws InterruptedException {
        running.set(false);
        for (Client c : clients) {
            c.thread.join(10_000);
            c.close();
        }
        long requests = 0;
        long failed = 0;
        long dropped = 0;
        List<Long> latencies = new ArrayList<>();
        List<List<String>> versions = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Client c : clients) {
            requests += c.requests;
            failed += c.failed;
            dropped += c.dropped ? 1 : 0;
            latencies.addAll(c.latencies);
            versions.add(List.copyOf(c.versions));
            errors.addAll(c.errors);
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Figures(clients.size(), requests, failed, dropped, percentile(sorted, 50), percentile(sorted, 99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1], versions, errors.subList(0, Math.min(errors.size(), 20)));
    }

    @Override
    public void close() throws InterruptedException {
        if (running.get()) {
            stop();
        }
    }

    private static long percentile(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** One connection: its own thread, its own expected state. */
    private static final class Client {
        final Thread thread;
        final Socket socket;
        final Closeable route;
        final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        final List<String> versions = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        volatile long requests;
        volatile long failed;
        volatile boolean dropped;

        Client(NodeRoutes.Route route, InetSocketAddress target, Duration interval, AtomicBoolean running)
                throws IOException {
            this.route = route.release();
            socket = new Socket();
            socket.connect(route.address(), 5_000);
            socket.setSoTimeout(5_000);
            socket.setTcpNoDelay(true);
            String name = "tally-load " + target + " #" + socket.getLocalPort();
            thread = new Thread(() -> run(interval, running, name), name);
            thread.setDaemon(true);
        }

        private void run(Duration interval, AtomicBoolean running, String name) {
            long sum = 0;
            long n = 0;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                OutputStream out = socket.getOutputStream();
                long next = System.nanoTime();
                while (running.get()) {
                    long k = n % 7 + 1;
                    long t0 = System.nanoTime();
                    out.write(("add " + k + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    String reply = in.readLine();
                    latencies.add((System.nanoTime() - t0) / 1_000);
                    requests++;
                    if (reply == null) {
                        throw new IOException("connection closed by the server");
                    }
                    sum += k;
                    n++;
                    String problem = check(reply, sum, n);
                    if (problem != null) {
                        failed++;
                        errors.add(name + ": " + problem);
                    }
                    next += interval.toNanos();
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            } catch (IOException e) {
                dropped = true;
                errors.add(name + ": dropped after " + requests + " requests: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Null when the reply is right for this connection's state, else what is wrong. */
        private String check(String reply, long sum, long n) {
            List<String> fields = Arrays.asList(reply.trim().split(" "));
            String version = fields.contains("v=2") ? "0.2.0" : "0.1.0";
            if (versions.isEmpty() || !versions.get(versions.size() - 1).equals(version)) {
                versions.add(version);
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

        void close() {
            try (Closeable r = route) {
                socket.close();
            } catch (IOException ignored) {
                // closing after the figures are taken
            }
        }
    }
}
