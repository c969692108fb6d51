package dev.relup.e2e.operator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.relup.e2e.cluster.ClusterProvider;
import dev.relup.e2e.cluster.KubernetesE2e;
import dev.relup.e2e.cluster.TestNamespace;
import dev.relup.e2e.release.Erel;
import dev.relup.e2e.release.Images;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A benchmark, not a test (failsafe does not pick it up by name): for 3 replicas, the time from the spec change
 * to every pod on the new version, hot (with and without a package build) beside a rolling restart, on the same
 * cluster. Run: {@code mvn -pl e2e verify -Dit.test=HotVsRestartBenchmark}.
 */
@KubernetesE2e
class HotVsRestartBenchmark {

    static final int REPLICAS = 3;

    @Test
    void hotVersusRestart(KubernetesClient client, TestNamespace namespace, ClusterProvider cluster) throws Exception {
        String ns = namespace.name();
        Images.ensure(cluster, List.of("ticker:0.1.0", "ticker:0.2.0", "relup-tools:dev"));
        Erel.installCrd(client);
        try (OperatorProcess operator = new OperatorProcess(ns, namespace.logDir())) {
            operator.start();
            long hotWithBuild = move(client, ns, "bench-hot", "Hot", "0.1.0", "0.2.0");
            long hotDown = change(client, ns, "bench-hot", "0.1.0");
            long hotUpCached = change(client, ns, "bench-hot", "0.2.0");
            client.genericKubernetesResources(Erel.API_VERSION, Erel.KIND).inNamespace(ns).withName("bench-hot").delete();
            long restart = move(client, ns, "bench-restart", "Restart", "0.1.0", "0.2.0");
            System.out.println();
            System.out.println("[benchmark] 3 replicas, spec change -> every pod on the new version (status Ready):");
            System.out.printf("[benchmark]   Hot     0.1.0 -> 0.2.0, package built by a Job: %6d ms%n", hotWithBuild);
            System.out.printf("[benchmark]   Hot     0.2.0 -> 0.1.0 (downgrade, no build): %6d ms%n", hotDown);
            System.out.printf("[benchmark]   Hot     0.1.0 -> 0.2.0 (release still on nodes): %6d ms%n", hotUpCached);
            System.out.printf("[benchmark]   Restart 0.1.0 -> 0.2.0 (pods deleted one by one): %6d ms%n", restart);
            System.out.println();
        }
    }

    private static long move(KubernetesClient client, String ns, String name, String strategy, String from, String to)
            throws Exception {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("release", "ticker");
        spec.put("version", from);
        spec.put("image", "ticker:" + from);
        spec.put("replicas", REPLICAS);
        spec.put("strategy", strategy);
        Erel.create(client, ns, name, spec);
        Awaitility.await(name + " ready on " + from).atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> Erel.readyOn(Erel.get(client, ns, name), from, REPLICAS));
        return change(client, ns, name, to);
    }

    private static long change(KubernetesClient client, String ns, String name, String to) throws Exception {
        long t0 = System.nanoTime();
        Erel.patchSpec(client, ns, name, Map.of("version", to, "image", "ticker:" + to));
        Awaitility.await(name + " ready on " + to).atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> Erel.readyOn(Erel.get(client, ns, name), to, REPLICAS));
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
