package dev.relup.e2e.operator;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.relup.e2e.cluster.ClusterProvider;
import dev.relup.e2e.cluster.KubernetesE2e;
import dev.relup.e2e.cluster.TestNamespace;
import dev.relup.e2e.release.Erel;
import dev.relup.e2e.release.Images;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A benchmark, not a test (failsafe does not pick it up by name): how many requests the operator sends to the API
 * server, read from the API server's own {@code /metrics} ({@code apiserver_request_total}, watches left out):
 * <ul>
 *   <li>idle: RELEASES ErlangReleases of 1 replica, all Ready; a minute without the operator (the cluster's own
 *       traffic), then a minute with it, after its start-up; the difference is the operator's, per release and
 *       for leader election;</li>
 *   <li>during a move: every release hot-upgraded at once; the requests of the move window (less the cluster's
 *       own) divided by the passes the operator counted ({@code relup_reconcile_passes_total}).</li>
 * </ul>
 * Run: {@code mvn -pl e2e verify -Dit.test=ApiRequestsBenchmark}.
 */
@KubernetesE2e
class ApiRequestsBenchmark {

    static final int RELEASES = 5;
    static final Duration WINDOW = Duration.ofSeconds(60);
    static final Pattern SAMPLE = Pattern.compile("^apiserver_request_total\\{([^}]*)} ([0-9.e+]+)$");

    @Test
    void requestsPerIdleReleaseAndPerPass(KubernetesClient client, TestNamespace namespace, ClusterProvider cluster)
            throws Exception {
        String ns = namespace.name();
        Images.ensure(cluster, List.of("ticker:0.1.0", "ticker:0.2.0", "relup-tools:dev"));
        Erel.installCrd(client);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (OperatorProcess operator = new OperatorProcess(ns, namespace.logDir(),
                Map.of("QUARKUS_HTTP_PORT", String.valueOf(port)))) {
            operator.start();
            for (int i = 0; i < RELEASES; i++) {
                Erel.create(client, ns, "idle-" + i, spec("0.1.0"));
            }
            awaitReady(client, ns, "0.1.0");

            operator.kill();
            Map<String, Double> a0 = requests(client);
            Thread.sleep(WINDOW.toMillis());
            Map<String, Double> background = delta(a0, requests(client));

            operator.start();
            awaitPasses(port, 1);
            Thread.sleep(20_000); // start-up: informers' lists, the lease, a first pass per release
            Map<String, Double> b0 = requests(client);
            Thread.sleep(WINDOW.toMillis());
            Map<String, Double> idle = minus(delta(b0, requests(client)), background, 1.0);

            double passes0 = passes(port);
            Map<String, Double> m0 = requests(client);
            long t0 = System.nanoTime();
            for (int i = 0; i < RELEASES; i++) {
                Erel.patchSpec(client, ns, "idle-" + i, Map.of("version", "0.2.0", "image", "ticker:0.2.0"));
            }
            awaitReady(client, ns, "0.2.0");
            double seconds = (System.nanoTime() - t0) / 1e9;
            double passes = passes(port) - passes0;
            Map<String, Double> move = minus(delta(m0, requests(client)), background, seconds / WINDOW.toSeconds());

            double idleLease = sum(idle, k -> k.contains("leases"));
            double idleRest = sum(idle, k -> !k.contains("leases"));
            System.out.println();
            System.out.printf("[benchmark] API requests (apiserver_request_total, watches excluded, the cluster's own "
                    + "traffic subtracted), %d ErlangReleases of 1 replica:%n", RELEASES);
            System.out.printf("[benchmark]   idle, per minute: %.1f for leader election (lease), %.1f for the releases "
                    + "= %.2f per idle ErlangRelease%n", idleLease, idleRest, idleRest / RELEASES);
            print("idle, per minute, by verb/resource", idle);
            double own = sum(move, ApiRequestsBenchmark::onlyTheOperator);
            System.out.printf("[benchmark]   move of all %d releases 0.1.0 -> 0.2.0 (one package build each): %.1f s, "
                    + "%.0f passes; requests only the operator makes (server-side applies, Job creation, cookie reads, "
                    + "pod deletions): %.0f = %.2f per pass; all requests of the window (kubelet, Job and StatefulSet "
                    + "controllers, this benchmark's own polling included, lease excluded): %.0f%n", RELEASES, seconds,
                    passes, own, own / passes, sum(move, k -> !k.contains("leases")));
            print("move, by verb/resource", move);
            System.out.println();
        }
    }

    private static Map<String, Object> spec(String version) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("release", "ticker");
        s.put("version", version);
        s.put("image", "ticker:" + version);
        s.put("replicas", 1);
        s.put("strategy", "Hot");
        return s;
    }

    private static void awaitReady(KubernetesClient client, String ns, String version) {
        Awaitility.await("every release ready on " + version).atMost(Duration.ofMinutes(8))
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                    for (int i = 0; i < RELEASES; i++) {
                        if (!Erel.readyOn(Erel.get(client, ns, "idle-" + i), version, 1)) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** apiserver_request_total by "VERB resource[/subresource]", watches left out. */
    static Map<String, Double> requests(KubernetesClient client) {
        String text = client.raw(client.getMasterUrl() + "metrics");
        Map<String, Double> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            for (String kv : m.group(1).split(",")) {
                int eq = kv.indexOf('=');
                labels.put(kv.substring(0, eq), kv.substring(eq + 2, kv.length() - 1));
            }
            String verb = labels.getOrDefault("verb", "?");
            if (verb.equals("WATCH") || verb.equals("CONNECT")) {
                continue;
            }
            String sub = labels.getOrDefault("subresource", "");
            String key = verb + " " + labels.getOrDefault("resource", "?") + (sub.isEmpty() ? "" : "/" + sub);
            out.merge(key, Double.parseDouble(m.group(2)), Double::sum);
        }
        return out;
    }

    static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> d = new TreeMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0.0)));
        return d;
    }

    static Map<String, Double> minus(Map<String, Double> a, Map<String, Double> background, double scale) {
        Map<String, Double> d = new TreeMap<>();
        a.forEach((k, v) -> d.put(k, v - background.getOrDefault(k, 0.0) * scale));
        return d;
    }

    /** Requests no other client of this cluster makes during the benchmark. */
    static boolean onlyTheOperator(String key) {
        return key.startsWith("APPLY ") || key.equals("POST jobs") || key.equals("GET secrets")
                || key.equals("DELETE pods");
    }

    static double sum(Map<String, Double> m, java.util.function.Predicate<String> key) {
        return m.entrySet().stream().filter(e -> key.test(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
    }

    static void print(String title, Map<String, Double> m) {
        System.out.println("[benchmark]   " + title + ":");
        m.entrySet().stream().filter(e -> Math.abs(e.getValue()) >= 0.5)
                .forEach(e -> System.out.printf("[benchmark]     %-40s %8.1f%n", e.getKey(), e.getValue()));
    }

    static double passes(int port) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/q/metrics")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith("relup_reconcile_passes_total")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
    }

    private static void awaitPasses(int port, double atLeast) {
        Awaitility.await("the operator reconciles").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> passes(port) >= atLeast);
    }
}
