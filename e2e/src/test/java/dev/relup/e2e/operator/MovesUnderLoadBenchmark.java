package dev.relup.e2e.operator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import dev.relup.e2e.cluster.ErlangNodes;
import dev.relup.e2e.release.Ticker;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.relup.e2e.cluster.ClusterProvider;
import dev.relup.e2e.cluster.E2ePaths;
import dev.relup.e2e.cluster.KubernetesE2e;
import dev.relup.e2e.cluster.TestNamespace;
import dev.relup.e2e.load.TallyLoad;
import dev.relup.e2e.operator.BenchmarkCharts.Point;
import dev.relup.e2e.release.Erel;
import dev.relup.e2e.release.Images;
import dev.relup.engine.node.NodeRoutes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A benchmark, not a test (failsafe does not pick it up by name), in one run on one cluster with one operator
 * process (the packaged operator, {@link OperatorProcess}):
 * <ol>
 *   <li><b>rehearsal's cost</b>: one build Job of ticker 0.1.0 -> 0.2.0 with rehearsal (the default) and one with
 *       {@code rehearse: false};</li>
 *   <li><b>moves under load</b>: tally with 3 and 12 replicas, batchSize 1 and 4, each a new ErlangRelease (so the
 *       first move builds its package): Hot 0.1.0 -> 0.2.0 with the package build, Hot 0.2.0 -> 0.1.0 (downgrade, no
 *       build), Hot 0.1.0 -> 0.2.0 again (the release is still installed on the nodes), then (after a downgrade that is
 *       not measured) Restart 0.1.0 -> 0.2.0; each under {@link TallyLoad} ({@value #CONNECTIONS_PER_POD} connections
 *       per pod, a request every {@value #REQUEST_EVERY_MS} ms, a dropped connection opened again). Per move: move
 *       time (spec change -> Ready on the target for the new generation, seen by polling every 100 ms), failed
 *       requests, dropped connections, latency p50/p99/max of the requests sent during the move, the operator's
 *       CPU and RSS during the move, and for hot moves the per-pod split into the engine's steps and the operator's
 *       share ({@link PodSplit});</li>
 *   <li><b>footprint</b>: 1, 25 and 100 ErlangReleases of 1 replica of ticker (fewer when the node cannot hold the
 *       pods: said in the output), the operator's RSS and CPU idle and while every one of them moves at once.</li>
 * </ol>
 * Prints every figure as {@code [benchmark]} lines, draws PNG charts into {@code docs/benchmarks/}
 * (docs/benchmarks.md explains them). Asserts nothing about speed; it fails when a move does not end Ready in time,
 * when a reply does not carry its connection's state, or when a hot move loses a request or a connection.
 * Run: {@code mvn -pl e2e verify -Dit.test=MovesUnderLoadBenchmark} (add {@code -De2e.podNetwork=routed} to send
 * the load straight to the pod IPs rather than through the API server's port-forward).
 */
@KubernetesE2e
class MovesUnderLoadBenchmark {

    /** -Dbench.replicas=3,12 and -Dbench.batches=1,4: the tally moves' grid. */
    static final int[] REPLICAS = ints(System.getProperty("bench.replicas", "3,12"));
    static final int[] BATCH_SIZES = ints(System.getProperty("bench.batches", "1,4"));
    /** -Dbench.parts=rehearsal,moves,footprint: a shorter run leaves parts out (the charts need moves and footprint). */
    /** The operator runs with the chart's JVM options, so that its footprint is the one a user gets. */
    static final String JVM_OPTIONS;

    static {
        try {
            JVM_OPTIONS = String.join(" ", OperatorProcess.chartJvmOptions());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static final Set<String> PARTS = Set.of(System.getProperty("bench.parts", "rehearsal,moves,footprint").split(","));
    static final int CONNECTIONS_PER_POD = 2;
    static final int REQUEST_EVERY_MS = 50;
    /** Load before the spec change and after Ready, so the charts show both sides of the move. */
    static final Duration AROUND_MOVE = Duration.ofSeconds(3);
    static final Duration IDLE_WINDOW = Duration.ofSeconds(20);
    static final int[] FOOTPRINT_RELEASES = {1, 25, 100};
    /** Pods left free for the build Jobs of the footprint pass. */
    static final int BUILD_HEADROOM = 6;
    static final int TALLY_PORT = 7070;

    static final String HOT_BUILD = "Hot, with the build";
    static final String HOT_DOWN = "Hot downgrade";
    static final String HOT_BUILT = "Hot, package built";
    static final String RESTART = "Restart";
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** One measured move. {@code split} is null for a restart (no engine steps). */
    record MoveFigures(int replicas, int batchSize, String kind, String from, String to, long moveMillis,
            long operatorMillis, TallyLoad.Figures load, PodSplit split, ProcSampler.Usage operator,
            BenchmarkCharts.Timeline timeline) {

        String label() {
            return replicas + " replicas, batch " + batchSize + ", " + kind;
        }
    }

    /** The operator with {@code releases} ErlangReleases: idle, and while every one moves. */
    record Footprint(int releases, ProcSampler.Usage idle, double idlePasses, ProcSampler.Usage moving,
            double movingPasses, long moveMillis) {
    }

    /** A build Job: from the BuildStarted to the PackageReady event (operator's log), and as Kubernetes timed it. */
    record BuildFigures(String what, long eventsMillis, long jobSeconds) {
    }

    KubernetesClient client;
    String ns;
    ClusterProvider cluster;
    OperatorProcess operator;
    ProcSampler sampler;
    OperatorLog log;
    NodeRoutes routes;
    int metricsPort;

    @Test
    void movesUnderLoadAndFootprint(KubernetesClient client, TestNamespace namespace, ClusterProvider cluster)
            throws Exception {
        this.client = client;
        this.ns = namespace.name();
        this.cluster = cluster;
        long began = System.nanoTime();
        Images.ensure(cluster, List.of("tally:0.1.0", "tally:0.2.0", "ticker:0.1.0", "ticker:0.2.0", "relup-tools:dev"));
        Erel.installCrd(client);
        metricsPort = freePort();
        Map<String, String> env = new java.util.HashMap<>(OperatorProcess.chartJvmEnvironment());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(metricsPort));
        try (OperatorProcess op = new OperatorProcess(ns, namespace.logDir(), env)) {
            operator = op;
            op.jvmOptions(OperatorProcess.chartJvmOptions()); // the footprint of what the chart runs
            op.start();
            log = new OperatorLog(op.log());
            try (ProcSampler s = new ProcSampler(op.pid())) {
                sampler = s;
                run();
            }
        }
        System.out.printf("[benchmark] whole run: %.1f min%n", (System.nanoTime() - began) / 60e9);
    }

    private void run() throws Exception {
        routes = cluster.podNetworkReachable() ? NodeRoutes.DIRECT : cluster.podRoutes();
        String how = routes == NodeRoutes.DIRECT ? "straight to the pod IPs (routed pod network)"
                : "through the API server's port-forward (isolated pod network: every request takes that hop)";
        System.out.println("[benchmark] the load reaches the pods " + how + "; the operator: " + OperatorProcess.reach());

        awaitTrue("the operator's metrics answer", Duration.ofMinutes(2), () -> passes() >= 0);
        Thread.sleep(15_000); // start-up: informers, the lease
        Footprint none = idleOnly(0);

        List<BuildFigures> builds = PARTS.contains("rehearsal") ? rehearsalCost() : List.of();
        printBuilds(builds); // at once: a later part that fails must not take these figures with it

        List<MoveFigures> moves = new ArrayList<>();
        List<String> idleWithTally = new ArrayList<>();
        if (PARTS.contains("moves")) {
            for (int replicas : REPLICAS) {
                for (int batch : batches(replicas)) {
                    moves.addAll(tallyMoves(replicas, batch, idleWithTally));
                }
            }
        }

        List<Footprint> footprint = new ArrayList<>();
        footprint.add(none);
        if (PARTS.contains("footprint")) {
            footprint.addAll(footprintPass());
        }

        printMoves(moves, idleWithTally);
        printFootprint(footprint);
        if (PARTS.contains("moves") && PARTS.contains("footprint")) {
            drawCharts(moves, footprint);
        } else {
            System.out.println("[benchmark] no charts: parts " + PARTS + " (they need moves and footprint)");
        }
        failOnBrokenPromises(moves);
    }

    // ------------------------------------------------------------------------------------------ rehearsal's cost

    private List<BuildFigures> rehearsalCost() throws Exception {
        List<BuildFigures> out = new ArrayList<>();
        out.add(oneBuild("reh-on", true));
        out.add(oneBuild("reh-off", false));
        return out;
    }

    private BuildFigures oneBuild(String name, boolean rehearse) throws Exception {
        Map<String, Object> spec = spec("ticker", "0.1.0", 1, "Hot", 1);
        if (!rehearse) {
            spec.put("rehearse", false);
        }
        Erel.create(client, ns, name, spec);
        awaitReady(name, "0.1.0", 1, Duration.ofMinutes(4));
        long mark = log.mark();
        Erel.patchSpec(client, ns, name, Map.of("version", "0.2.0", "image", "ticker:0.2.0"));
        awaitReady(name, "0.2.0", 1, Duration.ofMinutes(5));
        List<OperatorLog.Entry> ev = settledEvents(mark, name);
        long started = at(ev, "BuildStarted", name);
        long ready = at(ev, "PackageReady", name);
        BuildFigures f = new BuildFigures(rehearse ? "with rehearsal (default)" : "rehearse: false", ready - started,
                jobSeconds(jobOf(name)));
        delete(name);
        return f;
    }

    private String jobOf(String name) {
        return client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
                .map(j -> j.getMetadata().getName()).filter(n -> n.startsWith(name + "-relup-")).findFirst()
                .orElseThrow(() -> new AssertionError("no build Job of " + name));
    }

    private long jobSeconds(String job) throws InterruptedException {
        // the Job completes when its output server is told "done", just after the package is stored: not yet Ready
        Job j = client.batch().v1().jobs().inNamespace(ns).withName(job).get();
        for (int i = 0; i < 60 && j != null && j.getStatus() != null && j.getStatus().getCompletionTime() == null; i++) {
            Thread.sleep(1_000);
            j = client.batch().v1().jobs().inNamespace(ns).withName(job).get();
        }
        if (j == null || j.getStatus() == null || j.getStatus().getStartTime() == null
                || j.getStatus().getCompletionTime() == null) {
            throw new AssertionError("build Job " + job + " has no start and completion time: "
                    + (j == null ? "gone" : j.getStatus()));
        }
        return Duration.between(Instant.parse(j.getStatus().getStartTime()),
                Instant.parse(j.getStatus().getCompletionTime())).toSeconds();
    }

    // ------------------------------------------------------------------------------------------ moves under load

    private List<MoveFigures> tallyMoves(int replicas, int batch, List<String> idleWithTally) throws Exception {
        String name = "tally-r" + replicas + "-b" + batch;
        System.out.println("[benchmark] " + name + ": " + replicas + " replicas, batchSize " + batch);
        Erel.create(client, ns, name, spec("tally", "0.1.0", replicas, "Hot", batch));
        awaitReady(name, "0.1.0", replicas, Duration.ofMinutes(5));
        long i0 = System.nanoTime();
        Thread.sleep(IDLE_WINDOW.toMillis() / 2);
        idleWithTally.add(replicas + " tally pods (batch " + batch + " run), idle: "
                + sampler.window(i0, System.nanoTime()).summary());

        List<MoveFigures> out = new ArrayList<>();
        out.add(measuredMove(name, replicas, batch, HOT_BUILD, "0.1.0", "0.2.0", Map.of()));
        out.add(measuredMove(name, replicas, batch, HOT_DOWN, "0.2.0", "0.1.0", Map.of()));
        // the package is in the operator's cache; taking 0.2.0 off the nodes makes the move do all its node steps
        // (transfer, unpack, install, make_permanent, start script) without a build
        removeFromNodes(name, replicas, "0.2.0");
        out.add(measuredMove(name, replicas, batch, HOT_BUILT, "0.1.0", "0.2.0", Map.of()));
        move(name, replicas, "0.1.0", Map.of()); // back to 0.1.0 for the restart (not measured: a downgrade again)
        out.add(measuredMove(name, replicas, batch, RESTART, "0.1.0", "0.2.0", Map.of("strategy", "Restart")));
        delete(name);
        return out;
    }

    /** {@code release_handler:remove_release(Vsn)} on every node of {@code name}: gone from disk and from the list. */
    private void removeFromNodes(String name, int replicas, String vsn) throws Exception {
        String cookie = Ticker.cookie(client, ns, name + "-cookie");
        for (int i = 0; i < replicas; i++) {
            String ip = client.pods().inNamespace(ns).withName(name + "-" + i).get().getStatus().getPodIP();
            String node = "tally@" + ip;
            OtpErlangObject r = ErlangNodes.rpc(node, cookie, 30_000, "release_handler", "remove_release",
                    new OtpErlangString(vsn));
            if (!"ok".equals(r.toString())) {
                throw new AssertionError(node + ": remove_release(" + vsn + ") -> " + r);
            }
            if (ErlangNodes.whichReleases(node, cookie).stream().anyMatch(rel -> rel.version().equals(vsn))) {
                throw new AssertionError(node + " still lists " + vsn + " after remove_release");
            }
        }
    }

    private MoveFigures measuredMove(String name, int replicas, int batch, String kind, String from, String to,
            Map<String, Object> specExtra) throws Exception {
        try (TallyLoad load = TallyLoad.startReconnecting(targets(name, replicas), routes, CONNECTIONS_PER_POD,
                Duration.ofMillis(REQUEST_EVERY_MS))) {
            Thread.sleep(AROUND_MOVE.toMillis());
            long mark = log.mark();
            long t0 = System.nanoTime();
            move(name, replicas, to, specExtra);
            long t1 = System.nanoTime();
            Thread.sleep(AROUND_MOVE.toMillis());
            load.stop();
            String method = kind.equals(RESTART) ? "Restart" : "Hot";
            JsonNode last = Erel.lastHistory(Erel.get(client, ns, name));
            if (last == null || !from.equals(last.path("from").asText()) || !to.equals(last.path("to").asText())
                    || !method.equals(last.path("method").asText()) || !"Succeeded".equals(last.path("result").asText())) {
                throw new AssertionError(name + ": expected a history entry " + from + " -> " + to + " " + method
                        + " Succeeded, the last one is " + last);
            }
            long operatorMillis = Duration.between(Instant.parse(last.path("start").asText()),
                    Instant.parse(last.path("end").asText())).toMillis();
            PodSplit split = method.equals("Hot") ? PodSplit.of(settledEvents(mark, name), replicas, batch) : null;
            MoveFigures f = new MoveFigures(replicas, batch, kind, from, to, (t1 - t0) / 1_000_000, operatorMillis,
                    load.window(t0, t1), split, sampler.window(t0, t1),
                    timeline(replicas + " replicas, batch " + batch + ": " + kind + " " + from + " -> " + to, load, t0, t1));
            System.out.println("[benchmark]   " + f.label() + " " + from + " -> " + to + ": " + f.moveMillis() + " ms; "
                    + f.load().summary());
            return f;
        }
    }

    /** Patches the spec to {@code to} (and {@code specExtra}) and waits until Ready on it. */
    private void move(String name, int replicas, String to, Map<String, Object> specExtra) throws Exception {
        Map<String, Object> change = new LinkedHashMap<>(specExtra);
        String release = name.startsWith("tally") ? "tally" : "ticker";
        change.put("version", to);
        change.put("image", release + ":" + to);
        Erel.patchSpec(client, ns, name, change);
        awaitReady(name, to, replicas, Duration.ofMinutes(replicas > 3 ? 8 : 5));
    }

    /** One load target per pod, resolved at each (re)connection: the pod's IP once it is Running and Ready. */
    private List<TallyLoad.Target> targets(String name, int replicas) {
        return IntStream.range(0, replicas).mapToObj(i -> (TallyLoad.Target) () -> {
            Pod p = client.pods().inNamespace(ns).withName(name + "-" + i).get();
            boolean ready = p != null && p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
                    && p.getStatus().getPodIP() != null && p.getStatus().getConditions() != null
                    && p.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready")
                    && c.getStatus().equals("True"));
            if (!ready) {
                throw new java.io.IOException("pod " + name + "-" + i + " is not ready");
            }
            return new InetSocketAddress(p.getStatus().getPodIP(), TALLY_PORT);
        }).toList();
    }

    /** The load of [t0 - AROUND_MOVE, t1 + AROUND_MOVE], time in seconds from t0. */
    private static BenchmarkCharts.Timeline timeline(String title, TallyLoad load, long t0, long t1) {
        List<Point> latency = new ArrayList<>();
        Map<Long, Double> failed = new TreeMap<>();
        Map<Long, Double> dropped = new TreeMap<>();
        for (TallyLoad.Sample s : load.samples()) {
            double x = (s.atNanos() - t0) / 1e9;
            if (s.outcome() == TallyLoad.Outcome.NO_REPLY) {
                failed.merge((long) Math.floor(x), 1.0, Double::sum);
                continue;
            }
            latency.add(new Point(x, s.micros() / 1000.0));
            if (s.outcome() == TallyLoad.Outcome.WRONG) {
                failed.merge((long) Math.floor(x), 1.0, Double::sum);
            }
        }
        for (TallyLoad.Drop d : load.drops()) {
            dropped.merge((long) Math.floor((d.atNanos() - t0) / 1e9), 1.0, Double::sum);
        }
        return new BenchmarkCharts.Timeline(title, latency, perSecond(failed), perSecond(dropped), (t1 - t0) / 1e9);
    }

    private static List<Point> perSecond(Map<Long, Double> counts) {
        return counts.entrySet().stream().map(e -> new Point(e.getKey() + 0.5, e.getValue())).toList();
    }

    // ------------------------------------------------------------------------------------------------ footprint

    private List<Footprint> footprintPass() throws Exception {
        int fits = podsThatFit();
        List<Footprint> out = new ArrayList<>();
        Map<String, String> versions = new TreeMap<>();
        for (int wanted : FOOTPRINT_RELEASES) {
            int releases = Math.min(wanted, fits);
            if (releases < wanted) {
                System.out.println("[benchmark] !! " + wanted + " ErlangReleases of 1 replica do not fit: the node takes "
                        + fits + " more pods (allocatable pods less the running ones and " + BUILD_HEADROOM
                        + " for build Jobs); measuring " + releases + " instead");
            }
            if (releases <= versions.size()) {
                continue;
            }
            for (int i = versions.size(); i < releases; i++) {
                String name = String.format("fp-%03d", i);
                Map<String, Object> spec = spec("ticker", "0.1.0", 1, "Hot", 1);
                spec.put("rehearse", false); // a footprint pass, not a rehearsal benchmark: 100 builds are costly enough
                Erel.create(client, ns, name, spec);
                versions.put(name, "0.1.0");
            }
            awaitAllReady(versions, Duration.ofMinutes(8));
            Thread.sleep(10_000); // the new releases' first passes settle
            Footprint idle = idleOnly(releases);

            // every release moves at once: those on 0.1.0 to 0.2.0 (a build each, the first time), the others back
            double p0 = passes();
            long t0 = System.nanoTime();
            versions.replaceAll((name, v) -> v.equals("0.1.0") ? "0.2.0" : "0.1.0");
            for (Map.Entry<String, String> e : versions.entrySet()) {
                Erel.patchSpec(client, ns, e.getKey(), Map.of("version", e.getValue(), "image", "ticker:" + e.getValue()));
            }
            awaitAllReady(versions, Duration.ofMinutes(12));
            long t1 = System.nanoTime();
            Footprint f = new Footprint(releases, idle.idle(), idle.idlePasses(), sampler.window(t0, t1), passes() - p0,
                    (t1 - t0) / 1_000_000);
            System.out.println("[benchmark]   " + releases + " ErlangReleases: idle " + f.idle().summary() + "; moving "
                    + f.moving().summary());
            out.add(f);
        }
        return out;
    }

    /** The operator's usage over IDLE_WINDOW with nothing moving. */
    private Footprint idleOnly(int releases) throws Exception {
        double p0 = passes();
        long t0 = System.nanoTime();
        Thread.sleep(IDLE_WINDOW.toMillis());
        return new Footprint(releases, sampler.window(t0, System.nanoTime()), passes() - p0, null, 0, 0);
    }

    /** Pods the cluster's nodes still take: allocatable pods less the pods not finished, less the build headroom. */
    private int podsThatFit() {
        long allocatable = client.nodes().list().getItems().stream()
                .mapToLong(n -> new Quantity(n.getStatus().getAllocatable().get("pods").getAmount()).getNumericalAmount()
                        .longValue()).sum();
        long active = client.pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> !"Succeeded".equals(p.getStatus().getPhase()) && !"Failed".equals(p.getStatus().getPhase()))
                .count();
        return (int) Math.max(0, allocatable - active - BUILD_HEADROOM);
    }

    /** Every release Ready on its version; one list call per second (not a read per release every 100 ms). */
    private void awaitAllReady(Map<String, String> versions, Duration atMost) {
        awaitTrue(versions.size() + " ErlangReleases Ready", atMost, Duration.ofSeconds(1), () -> {
            Map<String, JsonNode> all = new TreeMap<>();
            for (var r : client.genericKubernetesResources(Erel.API_VERSION, Erel.KIND).inNamespace(ns).list().getItems()) {
                all.put(r.getMetadata().getName(), JSON.valueToTree(r));
            }
            return versions.entrySet().stream().allMatch(e -> Erel.readyOn(all.get(e.getKey()), e.getValue(), 1));
        }, null);
    }

    // ------------------------------------------------------------------------------------------------ output

    private static void printBuilds(List<BuildFigures> builds) {
        if (builds.isEmpty()) {
            return; // -Dbench.parts without rehearsal
        }
        System.out.println();
        System.out.println("[benchmark] Build Job of ticker 0.1.0 -> 0.2.0 (1 replica), with and without rehearsal:");
        System.out.printf("[benchmark]   %-26s %22s %18s%n", "", "BuildStarted->Ready ms", "Job start->end s");
        for (BuildFigures b : builds) {
            System.out.printf("[benchmark]   %-26s %22d %18d%n", b.what(), b.eventsMillis(), b.jobSeconds());
        }
        System.out.printf("[benchmark]   rehearsal's cost: %d ms%n", builds.get(0).eventsMillis() - builds.get(1).eventsMillis());
    }

    private static void printMoves(List<MoveFigures> moves, List<String> idle) {
        if (moves.isEmpty()) {
            return; // -Dbench.parts without moves
        }
        System.out.println();
        System.out.printf("[benchmark] Moves of tally under load (%d connections per pod, a request every %d ms each); "
                + "move: spec change -> Ready on the target; op: the operator's history entry (start -> end); "
                + "failed/dropped/latency: requests sent during the move:%n", CONNECTIONS_PER_POD, REQUEST_EVERY_MS);
        System.out.printf("[benchmark]   %-3s %-5s %-22s %8s %8s %8s %7s %7s %8s %8s %9s %6s %6s%n", "rep", "batch",
                "move", "move ms", "op ms", "requests", "failed", "dropped", "p50 ms", "p99 ms", "max ms", "CPU%", "RSS MB");
        for (MoveFigures m : moves) {
            TallyLoad.Figures l = m.load();
            System.out.printf("[benchmark]   %-3d %-5d %-22s %8d %8d %8d %7d %7d %8.2f %8.2f %9.2f %6.1f %6.0f%n",
                    m.replicas(), m.batchSize(), m.kind(), m.moveMillis(), m.operatorMillis(), l.requests(), l.failed(),
                    l.dropped(), l.p50Micros() / 1000.0, l.p99Micros() / 1000.0, l.maxMicros() / 1000.0,
                    m.operator().cpuPercent(), m.operator().rssMaxMb());
        }
        System.out.println();
        System.out.println("[benchmark] Per pod, hot moves (means over the pods; wall: the pod's batch, from the end of the "
                + "batch before it; engine: the step timings of its PodUpgraded event; operator: wall - engine):");
        System.out.printf("[benchmark]   %-3s %-5s %-22s %9s %8s %8s %8s %8s %8s %8s %9s %9s %6s%n", "rep", "batch", "move",
                "pods ms", "wall ms", "engine", "transfer", "unpack", "install", "perm", "other eng", "operator", "op/eng");
        for (MoveFigures m : moves) {
            PodSplit s = m.split();
            if (s == null) {
                continue;
            }
            System.out.printf("[benchmark]   %-3d %-5d %-22s %9d %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f %9.0f %9.0f %6.1f%n",
                    m.replicas(), m.batchSize(), m.kind(), s.podsPhaseMillis(), s.wallMillis(), s.engineMillis(),
                    s.transferMillis(), s.unpackMillis(), s.installMillis(), s.makePermanentMillis(),
                    s.otherEngineMillis(), s.operatorMillis(), s.operatorToEngine());
        }
        System.out.println();
        System.out.println("[benchmark] Operator idle with the tally pods Ready:");
        idle.forEach(s -> System.out.println("[benchmark]   " + s));
        System.out.println();
        System.out.println("[benchmark] Restart beside Hot, by move time (Hot / Restart):");
        for (int r : REPLICAS) {
            for (int b : batches(r)) {
                MoveFigures restart = find(moves, r, b, RESTART);
                for (String kind : List.of(HOT_BUILD, HOT_BUILT, HOT_DOWN)) {
                    MoveFigures hot = find(moves, r, b, kind);
                    System.out.printf("[benchmark]   %2d replicas, batch %d: %-22s %6d ms = %.2fx Restart's %d ms%n", r, b,
                            kind, hot.moveMillis(), (double) hot.moveMillis() / restart.moveMillis(), restart.moveMillis());
                }
            }
        }
    }

    private static void printFootprint(List<Footprint> footprint) {
        System.out.println();
        System.out.println("[benchmark] Operator footprint (packaged operator, the chart's JVM options " + JVM_OPTIONS
                + " and MALLOC_ARENA_MAX; ErlangReleases of 1 replica of "
                + "ticker; moving: every release at once, 0.1.0 -> 0.2.0 or back, a build Job (rehearse: false) the first "
                + "time a release goes to 0.2.0):");
        System.out.printf("[benchmark]   %-8s %12s %12s %10s %12s %12s %12s %12s %10s %12s %10s%n", "releases",
                "idle RSS MB", "idle max MB", "idle CPU%", "idle passes", "idle threads", "move RSS MB", "move max MB",
                "move CPU%", "move passes", "move s");
        for (Footprint f : footprint) {
            if (f.moving() == null) {
                System.out.printf("[benchmark]   %-8d %12.0f %12.0f %10.1f %12.0f %12d %12s %12s %10s %12s %10s%n",
                        f.releases(), f.idle().rssMeanMb(), f.idle().rssMaxMb(), f.idle().cpuPercent(), f.idlePasses(),
                        f.idle().threadsMax(), "-", "-", "-", "-", "-");
            } else {
                System.out.printf("[benchmark]   %-8d %12.0f %12.0f %10.1f %12.0f %12d %12.0f %12.0f %10.1f %12.0f %10.1f%n",
                        f.releases(), f.idle().rssMeanMb(), f.idle().rssMaxMb(), f.idle().cpuPercent(), f.idlePasses(),
                        f.idle().threadsMax(), f.moving().rssMeanMb(), f.moving().rssMaxMb(), f.moving().cpuPercent(), f.movingPasses(),
                        f.moveMillis() / 1000.0);
            }
        }
        System.out.printf("[benchmark]   (idle windows of %d s; CPU%% is of one core)%n", IDLE_WINDOW.toSeconds());
        System.out.println();
    }

    private static void drawCharts(List<MoveFigures> moves, List<Footprint> footprint) throws Exception {
        Path dir = E2ePaths.repoRoot().resolve("docs/benchmarks");
        for (int r : REPLICAS) {
            for (int b : batches(r)) {
                BenchmarkCharts.latencySideBySide(dir.resolve("latency-hot-vs-restart-r" + r + "-b" + b + ".png"),
                        find(moves, r, b, HOT_BUILD).timeline(), find(moves, r, b, RESTART).timeline());
            }
        }
        Map<String, List<Point>> moveTimes = new LinkedHashMap<>();
        for (String kind : List.of(HOT_BUILD, HOT_BUILT, HOT_DOWN, RESTART)) {
            for (int b : BATCH_SIZES) {
                List<Point> points = new ArrayList<>();
                for (int r : REPLICAS) {
                    points.add(new Point(r, find(moves, r, Math.min(b, r), kind).moveMillis() / 1000.0));
                }
                moveTimes.put(kind + ", batch " + b + (java.util.Arrays.stream(REPLICAS).anyMatch(r -> r < b)
                        ? " (all replicas when fewer)" : ""), points);
            }
        }
        BenchmarkCharts.lines(dir.resolve("move-time-vs-replicas.png"), "Move time against replicas (tally under load)",
                "replicas", "spec change -> Ready (s)", moveTimes);
        Map<String, Map<String, Double>> split = new LinkedHashMap<>();
        for (MoveFigures m : moves) {
            if (m.split() != null) {
                PodSplit s = m.split();
                Map<String, Double> parts = new LinkedHashMap<>();
                parts.put("transfer", s.transferMillis());
                parts.put("unpack", s.unpackMillis());
                parts.put("install", s.installMillis());
                parts.put("make_permanent", s.makePermanentMillis());
                parts.put("other engine (path checks, start script)", s.otherEngineMillis());
                parts.put("operator", Math.max(0, s.operatorMillis()));
                split.put(m.replicas() + " rep, batch " + m.batchSize() + ", " + m.kind(), parts);
            }
        }
        BenchmarkCharts.stackedBars(dir.resolve("per-pod-split.png"), "Per pod: the engine's steps and the operator's share",
                "ms per pod (mean)", split);
        Map<String, List<Point>> rss = new LinkedHashMap<>();
        Map<String, List<Point>> cpu = new LinkedHashMap<>();
        rss.put("idle", footprint.stream().map(f -> new Point(f.releases(), f.idle().rssMeanMb())).toList());
        cpu.put("idle", footprint.stream().map(f -> new Point(f.releases(), f.idle().cpuPercent())).toList());
        List<Footprint> moved = footprint.stream().filter(f -> f.moving() != null).toList();
        rss.put("moving (max)", moved.stream().map(f -> new Point(f.releases(), f.moving().rssMaxMb())).toList());
        cpu.put("moving", moved.stream().map(f -> new Point(f.releases(), f.moving().cpuPercent())).toList());
        BenchmarkCharts.twoLineCharts(dir.resolve("operator-footprint.png"), "Operator RSS", "MB", rss,
                "Operator CPU", "% of one core", cpu, "ErlangReleases (1 replica each)");
        System.out.println("[benchmark] charts written to " + dir);
    }

    /** Correctness, not speed: every reply carried its connection's state; a hot move lost no request or connection. */
    private static void failOnBrokenPromises(List<MoveFigures> moves) {
        List<String> broken = new ArrayList<>();
        for (MoveFigures m : moves) {
            if (m.load().wrong() > 0) {
                broken.add(m.label() + ": " + m.load().wrong() + " replies did not carry their connection's state: "
                        + m.load().errors());
            }
            if (m.split() != null && (m.load().failed() > 0 || m.load().dropped() > 0)) {
                broken.add(m.label() + ": a hot move lost " + m.load().failed() + " requests and " + m.load().dropped()
                        + " connections: " + m.load().errors());
            }
        }
        assertTrue(broken.isEmpty(), String.join("\n", broken));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Map<String, Object> spec(String release, String version, int replicas, String strategy, int batch) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("release", release);
        s.put("version", version);
        s.put("image", release + ":" + version);
        s.put("replicas", replicas);
        s.put("strategy", strategy);
        s.put("batchSize", batch);
        return s;
    }

    private void awaitReady(String name, String version, int replicas, Duration atMost) {
        awaitTrue(name + " Ready on " + version + " with " + replicas + "/" + replicas + " pods", atMost,
                Duration.ofMillis(100), () -> Erel.readyOn(Erel.get(client, ns, name), version, replicas), name);
    }

    private void awaitTrue(String what, Duration atMost, BooleanSupplier condition) {
        awaitTrue(what, atMost, Duration.ofMillis(100), condition, null);
    }

    /** Polls; fails loudly (with the release's status and latest events, if given) when {@code atMost} passes. */
    private void awaitTrue(String what, Duration atMost, Duration poll, BooleanSupplier condition, String release) {
        long deadline = System.nanoTime() + atMost.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            if (!operator.alive()) {
                throw new AssertionError("the operator exited while waiting for " + what + " (its log: " + operator.log()
                        + ")");
            }
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                last = null;
            } catch (RuntimeException e) {
                last = e; // a read that failed: try again
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
        String detail = "";
        if (release != null) {
            JsonNode erel = Erel.get(client, ns, release);
            List<String> events = Erel.events(client, ns, release);
            detail = "; status: " + (erel == null ? "gone" : erel.path("status")) + "; latest events: "
                    + events.subList(Math.max(0, events.size() - 10), events.size());
        }
        throw new AssertionError("not reached within " + atMost + ": " + what + detail
                + (last != null ? "; last read failed: " + last : ""));
    }

    /** This release's logged events since {@code mark}, once the log has caught up (it is written as events happen). */
    private List<OperatorLog.Entry> settledEvents(long mark, String name) throws Exception {
        Thread.sleep(300);
        return log.eventsSince(mark, ns, name);
    }

    private static long at(List<OperatorLog.Entry> events, String reason, String name) {
        return events.stream().filter(e -> e.reason().equals(reason)).findFirst().map(OperatorLog.Entry::millis)
                .orElseThrow(() -> new AssertionError("no " + reason + " event of " + name + " in the operator's log; "
                        + "found " + events.stream().map(OperatorLog.Entry::reason).toList()));
    }

    private static int[] ints(String csv) {
        return java.util.Arrays.stream(csv.split(",")).mapToInt(v -> Integer.parseInt(v.strip())).toArray();
    }

    private void delete(String name) {
        client.genericKubernetesResources(Erel.API_VERSION, Erel.KIND).inNamespace(ns).withName(name).delete();
        awaitTrue("the pods of " + name + " gone", Duration.ofMinutes(3), () -> client.pods().inNamespace(ns)
                .withLabel("relup.dev/erlangrelease", name).withLabel("app.kubernetes.io/component", "erlang-node")
                .list().getItems().isEmpty());
    }

    /**
     * The batch sizes run with {@code replicas}: the CRD refuses a batchSize above replicas, so 3 replicas "in batches
     * of 4" run as batchSize 3 (all but the canary at once).
     */
    static int[] batches(int replicas) {
        return java.util.Arrays.stream(BATCH_SIZES).map(b -> Math.min(b, replicas)).distinct().toArray();
    }

    private static MoveFigures find(List<MoveFigures> moves, int replicas, int batch, String kind) {
        return moves.stream().filter(m -> m.replicas() == replicas && m.batchSize() == batch && m.kind().equals(kind))
                .findFirst().orElseThrow(() -> new AssertionError("no figures for " + replicas + "/" + batch + "/" + kind));
    }

    /** relup_reconcile_passes_total from the operator's /q/metrics. */
    private double passes() {
        try {
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + metricsPort + "/q/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(l -> l.startsWith("relup_reconcile_passes_total")).findFirst()
                    .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
        } catch (Exception e) {
            throw new IllegalStateException("the operator's metrics on port " + metricsPort + ": " + e, e);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
