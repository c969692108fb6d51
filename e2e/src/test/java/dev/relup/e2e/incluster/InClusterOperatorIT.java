package dev.relup.e2e.incluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.relup.e2e.cluster.ClusterProvider;
import dev.relup.e2e.cluster.KubernetesE2e;
import dev.relup.e2e.cluster.TestNamespace;
import dev.relup.e2e.release.Erel;
import dev.relup.e2e.release.Images;
import dev.relup.e2e.release.InstallProbe;
import dev.relup.e2e.release.Ticker;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;

/**
 * The operator as users run it: the Helm chart installed with helm into the test namespace (image relup-operator:dev,
 * never pulled, watching that namespace only), the operator in its own pod with its ServiceAccount and the Roles of
 * the namespace it watches, reaching the API server through the {@code kubernetes} Service and the Erlang nodes by pod IP, its package cache
 * in its own emptyDir. Then a hot upgrade ticker 0.1.0 -> 0.2.0 of 2 pods under strategy Hot, checked from outside
 * (pod uids and restart counts, each node's release_handler over Erlang distribution).
 *
 * <p>Needs the images relup-operator:dev (the build's prepare-e2e loads it when operator/controller is packaged),
 * relup-tools:dev, ticker:0.1.0 and ticker:0.2.0, and helm ({@code e2e/local-cluster build-helm}: built from its Go
 * module once, cached). On failure the namespace dump holds the operator pod's log.
 */
@KubernetesE2e
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InClusterOperatorIT {

    static final String NAME = "ticker";
    static final int REPLICAS = 2;
    static final Duration OPERATOR_TIMEOUT = Duration.ofMinutes(4);
    static final Duration MOVE_TIMEOUT = Duration.ofMinutes(5);

    static KubernetesClient client;
    static String ns;
    static Helm helm;
    static String helmRelease;
    static boolean installed;
    static String cookie;
    static Map<String, Ticker.Snapshot> before;

    @BeforeAll
    static void setUp(KubernetesClient c, TestNamespace namespace, ClusterProvider cluster) throws Exception {
        client = c;
        ns = namespace.name();
        Images.ensure(cluster, List.of("relup-operator:dev", "relup-tools:dev", "ticker:0.1.0", "ticker:0.2.0"));
        helm = Helm.local(cluster);
        // the release name prefixes the chart's RBAC objects (cluster-scoped in all-namespaces mode): unique per namespace
        helmRelease = ns;
    }

    @AfterAll
    static void uninstall(TestNamespace namespace) throws Exception {
        if (!installed) {
            return;
        }
        saveOperatorLog(namespace.logDir());
        // the ErlangRelease first (no finalizer, but its pods should not outlive the operator by much), then the chart;
        // the namespace itself is deleted by @KubernetesE2e
        client.genericKubernetesResources(Erel.API_VERSION, Erel.KIND).inNamespace(ns).withName(NAME).delete();
        Helm.Result r = helm.run("uninstall", helmRelease, "--namespace", ns, "--wait", "--timeout", "2m");
        System.out.println("[e2e] helm uninstall: " + r.output().strip());
        assertEquals(0, r.exit(), "helm uninstall failed: " + r.output());
        assertTrue(client.rbac().roles().inNamespace(ns).withName(helmRelease + "-relup-operator").get() == null,
                "the Role is gone with the release");
    }

    static ConditionFactory await(String what, Duration atMost) {
        return Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofSeconds(1)).ignoreExceptions();
    }

    static JsonNode erel() {
        return Erel.get(client, ns, NAME);
    }

    static Map<String, Object> spec(String version) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("release", "ticker");
        s.put("version", version);
        s.put("image", "ticker:" + version);
        s.put("replicas", REPLICAS);
        s.put("strategy", "Hot");
        return s;
    }

    static Deployment operatorDeployment() {
        return client.apps().deployments().inNamespace(ns).withName("relup-operator").get();
    }

    static List<Pod> operatorPods() {
        return client.pods().inNamespace(ns).withLabel("app.kubernetes.io/name", "relup-operator")
                .withLabel("app.kubernetes.io/instance", helmRelease).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName())).toList();
    }

    /** The pod holding the operator's Lease (identity: its pod name, a dash, the process id). */
    static Pod leaderPod() {
        var lease = client.leases().inNamespace(ns).withName(helmRelease + "-relup-operator").get();
        String holder = lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
        return operatorPods().stream().filter(p -> holder != null && holder.startsWith(p.getMetadata().getName() + "-"))
                .findFirst().orElse(null);
    }

    static int operatorRestarts() {
        return operatorPods().stream().mapToInt(p -> p.getStatus().getContainerStatuses().get(0).getRestartCount()).sum();
    }

    static void saveOperatorLog(Path dir) {
        for (Pod p : operatorPods()) {
            String name = p.getMetadata().getName();
            try {
                Files.createDirectories(dir);
                var pod = client.pods().inNamespace(ns).withName(name).inContainer("operator");
                Files.writeString(dir.resolve(name + ".log"), pod.getLog());
                if (p.getStatus().getContainerStatuses().get(0).getRestartCount() > 0) {
                    Files.writeString(dir.resolve(name + ".previous.log"), pod.terminated().getLog());
                }
                System.out.println("[e2e] operator pod log: " + dir.resolve(name + ".log"));
            } catch (Exception e) {
                System.out.println("[e2e] could not save the log of " + name + ": " + e);
            }
        }
    }

    /** The leader's Prometheus endpoint, through the API server's pod proxy. */
    static String metrics(Pod pod) {
        return client.raw(client.getMasterUrl() + "api/v1/namespaces/" + ns + "/pods/" + pod.getMetadata().getName()
                + ":8080/proxy/q/metrics");
    }

    /** A sample's value from Prometheus text, -1 when absent; {@code series} is the name and labels as printed. */
    static double sample(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).strip())).orElse(-1.0);
    }

    static String exec(String pod, String container, String... command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ExecWatch w = client.pods().inNamespace(ns).withName(pod).inContainer(container).writingOutput(out).writingError(err)
                .exec(command)) {
            int code = w.exitCode().get(60, TimeUnit.SECONDS);
            String s = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, "exec " + String.join(" ", command) + " -> " + s + err.toString(StandardCharsets.UTF_8));
            return s;
        }
    }

    @Test
    @Order(1)
    void chartLintsAndRenders() throws Exception {
        Helm.Result lint = helm.run("lint", "--strict", Helm.chart().toString(), "--set", "watchNamespaces={" + ns + "}");
        System.out.println("[e2e] helm lint:\n" + lint.output().strip());
        assertEquals(0, lint.exit(), "helm lint failed:\n" + lint.output());
        Helm.Result rendered = helm.run("template", helmRelease, Helm.chart().toString(), "--namespace", ns,
                "--set", "watchNamespaces={" + ns + "}");
        assertEquals(0, rendered.exit(), "helm template failed:\n" + rendered.output());
        String yaml = rendered.output();
        for (String kind : List.of("ServiceAccount", "Role", "RoleBinding", "Deployment")) {
            assertTrue(yaml.contains("\nkind: " + kind + "\n"), kind + " rendered:\n" + yaml);
        }
        // watching one namespace: its Roles only, nothing cluster-wide
        assertFalse(yaml.contains("\nkind: ClusterRole"), "a ClusterRole rendered with watchNamespaces set:\n" + yaml);
        assertTrue(yaml.contains("value: \"" + ns + "\""), "the watched namespace is rendered:\n" + yaml);
        // the rendered objects are valid for this API server (schema, field names), without creating anything
        Helm.Result dry = helm.run("install", helmRelease, Helm.chart().toString(), "--namespace", ns, "--dry-run=server",
                "--set", "watchNamespaces={" + ns + "}");
        assertEquals(0, dry.exit(), "helm install --dry-run=server failed:\n" + dry.output());
    }

    @Test
    @Order(2)
    void installsTheChartAndTheOperatorBecomesAvailable() throws Exception {
        // The CRD: the chart's crds/ (a copy of crds/). helm installs it when absent and never upgrades it, so
        // apply it first: a CRD left by an older run of another test must not hide a schema change.
        Erel.applyCrd(client, Helm.chart().resolve("crds/erlangreleases.relup.dev-v1.yml"));
        long t0 = System.nanoTime();
        Helm.Result r = helm.run("install", helmRelease, Helm.chart().toString(), "--namespace", ns,
                "--set", "watchNamespaces={" + ns + "}",
                "--set", "image.repository=relup-operator", "--set", "image.tag=dev", "--set", "image.pullPolicy=Never",
                "--set", "toolsImage=relup-tools:dev");
        System.out.println("[e2e] helm install:\n" + r.output().strip());
        assertEquals(0, r.exit(), "helm install failed:\n" + r.output());
        installed = true;
        await("operator Deployment Available", OPERATOR_TIMEOUT).until(() -> {
            Deployment d = operatorDeployment();
            return d != null && d.getStatus() != null && d.getStatus().getConditions() != null
                    && d.getStatus().getConditions().stream().anyMatch(x -> "Available".equals(x.getType())
                    && "True".equals(x.getStatus()))
                    && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas());
        });
        System.out.printf("[e2e] operator Available %d ms after helm install%n", (System.nanoTime() - t0) / 1_000_000);
        assertEquals(2, operatorPods().size(), "the chart runs two replicas");
        await("one replica holds the lease", OPERATOR_TIMEOUT).until(() -> leaderPod() != null);
        Pod op = leaderPod();
        System.out.println("[e2e] leader: " + op.getMetadata().getName());
        assertEquals("relup-operator", op.getSpec().getServiceAccountName());
        assertEquals("relup-operator:dev", op.getSpec().getContainers().get(0).getImage());
        assertEquals("Never", op.getSpec().getContainers().get(0).getImagePullPolicy());
        assertTrue(op.getSpec().getVolumes().stream().anyMatch(v -> "packages".equals(v.getName()) && v.getEmptyDir() != null),
                "package cache in an emptyDir of its own");
        assertEquals(ns, op.getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("QUARKUS_OPERATOR_SDK_CONTROLLERS_ERLANGRELEASE_NAMESPACES"))
                .findFirst().orElseThrow().getValue());
    }

    @Test
    @Order(3)
    void reconcilesATickerToReady() throws Exception {
        long t0 = System.nanoTime();
        Erel.create(client, ns, NAME, spec("0.1.0"));
        await("ErlangRelease Ready on 0.1.0", MOVE_TIMEOUT).until(() -> Erel.readyOn(erel(), "0.1.0", REPLICAS));
        System.out.printf("[e2e] ticker 0.1.0 Ready (%d pods) in %d ms%n", REPLICAS, (System.nanoTime() - t0) / 1_000_000);
        cookie = Ticker.cookie(client, ns, NAME + "-cookie");
        Map<String, Ticker.Snapshot> now = Ticker.snapshot(client, ns, cookie);
        assertEquals(REPLICAS, now.size());
        for (Ticker.Snapshot s : now.values()) {
            assertEquals("0.1.0", s.permanentVersion(), s.pod() + " " + s.releases());
        }
    }

    /**
     * The release's NetworkPolicy, enforced: epmd (4369) and the pinned distribution port of a release pod answer the
     * release's own pods and (the next test) the operator's, and nobody else: not a pod of the same namespace
     * without the release's labels, not a pod of another namespace. Both strangers reach the operator's own port
     * (8080, no policy there), so their "closed" is the policy's doing, not a broken network.
     */
    @Test
    @Order(4)
    void theReleasesErlangPortsAnswerOnlyItsOwnPodsAndTheOperator() throws Exception {
        assertNotNull(client.network().networkPolicies().inNamespace(ns).withName(NAME + "-distribution").get(),
                "the release's NetworkPolicy");
        String target = client.pods().inNamespace(ns).withName(NAME + "-0").get().getStatus().getPodIP();
        String operatorIp = operatorPods().get(0).getStatus().getPodIP();
        String other = ns + "-outside";
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(other).withLabels(Map.of("relup.dev/e2e", "true")).endMetadata().build()).create();
        try {
            strangerPod(ns);
            strangerPod(other);
            for (int port : List.of(4369, DIST_PORT)) {
                assertEquals("open", tcp(ns, NAME + "-1", target, port), "the release's own pod -> " + port);
            }
            for (String where : List.of(ns, other)) {
                assertEquals("open", tcp(where, "stranger", operatorIp, 8080), "stranger in " + where + " -> operator:8080");
                for (int port : List.of(4369, DIST_PORT)) {
                    assertEquals("closed", tcp(where, "stranger", target, port),
                            "a pod without the release's labels, in " + where + " -> " + NAME + "-0:" + port);
                }
            }
        } finally {
            client.namespaces().withName(other).delete();
            client.pods().inNamespace(ns).withName("stranger").delete();
        }
    }

    /** The distribution port the operator pins (spec.pod.distributionPort's default). */
    static final int DIST_PORT = 9100;

    /** A pod that is not part of the release, restricted like the rest, sleeping until it is exec'd into. */
    static void strangerPod(String where) {
        client.pods().inNamespace(where).resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("stranger").withLabels(Map.of("role", "stranger")).endMetadata()
                .withNewSpec().withTerminationGracePeriodSeconds(0L)
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(65532L)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .addNewContainer().withName("probe").withImage("ticker:0.1.0").withImagePullPolicy("Never")
                .withCommand("sleep", "3600")
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withNewCapabilities().addToDrop("ALL")
                .endCapabilities().endSecurityContext().endContainer().endSpec().build()).create();
        client.pods().inNamespace(where).withName("stranger").waitUntilReady(2, java.util.concurrent.TimeUnit.MINUTES);
    }

    /** "open" when a connection from {@code pod} to ip:port is made within 4 s, else "closed" (refused or dropped). */
    static String tcp(String where, String pod, String ip, int port) throws Exception {
        return dev.relup.e2e.cluster.PodExec.run(client, where, pod, "bash", "-c",
                "timeout 4 bash -c 'exec 3<>/dev/tcp/" + ip + "/" + port + "' 2>/dev/null && echo open || echo closed").trim();
    }

    @Test
    @Order(5)
    void hotUpgradesInPlaceFromInsideTheCluster() throws Exception {
        before = Ticker.snapshot(client, ns, cookie);
        int operatorRestarts = operatorRestarts();
        java.util.Set<String> eventsBefore = Erel.eventNames(client, ns, NAME);
        long t0 = System.nanoTime();
        Erel.patchSpec(client, ns, NAME, Map.of("version", "0.2.0", "image", "ticker:0.2.0"));
        await("every pod on 0.2.0", MOVE_TIMEOUT).until(() -> Erel.readyOn(erel(), "0.2.0", REPLICAS));
        System.out.printf("[e2e] 0.1.0 -> 0.2.0 hot by the in-cluster operator (build Job included): %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
        Map<String, Ticker.Snapshot> after = Ticker.snapshot(client, ns, cookie);
        assertEquals(before.keySet(), after.keySet(), "the same pods");
        for (var e : before.entrySet()) {
            Ticker.Snapshot b = e.getValue();
            Ticker.Snapshot a = after.get(e.getKey());
            System.out.println("[e2e] " + a.pod() + " uid " + a.uid() + " restarts " + a.restarts() + " releases " + a.releases());
            assertEquals(b.uid(), a.uid(), a.pod() + " uid unchanged");
            assertEquals(b.restarts(), a.restarts(), a.pod() + " restartCount unchanged");
            assertEquals(b.serverPid(), a.serverPid(), a.pod() + " ticker_server pid unchanged (state kept)");
            assertEquals("0.2.0", a.permanentVersion(), a.pod() + " permanent " + a.releases());
            assertEquals("0.2.0", a.runningVersion(), a.pod() + " current " + a.releases());
        }
        JsonNode last = Erel.lastHistory(erel());
        assertNotNull(last, "a history entry");
        assertEquals("0.1.0", last.path("from").asText());
        assertEquals("0.2.0", last.path("to").asText());
        assertEquals("Hot", last.path("method").asText());
        assertEquals("Succeeded", last.path("result").asText());
        // the operator did it without dying on the way (its package cache is its pod's emptyDir)
        assertEquals(operatorRestarts, operatorRestarts(), "operator container restarts during the move");
        // exactly one replica acted: every event of the move was written by the leader
        String leader = leaderPod().getMetadata().getName();
        List<String> writers = client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "ErlangRelease".equals(e.getInvolvedObject().getKind()) && NAME.equals(e.getInvolvedObject().getName())
                        && !eventsBefore.contains(e.getMetadata().getName()))
                .map(e -> e.getSource() == null ? null : e.getSource().getHost()).distinct().toList();
        assertEquals(List.of(leader), writers, "events of the move written by the leader only");
        // the package the build Job made was copied into the operator pod's own emptyDir (not the test machine)
        String cached = exec(leader, "operator", "find", "/var/cache/relup/packages", "-type", "f");
        System.out.println("[e2e] operator package cache:\n" + cached.strip());
        assertTrue(cached.lines().anyMatch(l -> l.endsWith(".tar.gz")), "a package in the operator's cache: " + cached);
        List<String> events = Erel.events(client, ns, NAME);
        System.out.println("[e2e] events:\n  " + String.join("\n  ", events));
        assertTrue(events.stream().anyMatch(x -> x.startsWith("PackageReady:")), "PackageReady in " + events);
        assertEquals(REPLICAS, events.stream().filter(x -> x.startsWith("PodUpgraded:") && x.contains("0.1.0 -> 0.2.0")).count(),
                "PodUpgraded per pod in " + events);
    }

    @Test
    @Order(6)
    void theLeadersPrometheusEndpointShowsTheMoveAndItsSteps() {
        String m = metrics(leaderPod());
        double moves = sample(m, "relup_moves_total{method=\"Hot\",result=\"Succeeded\"}");
        System.out.println("[e2e] relup metrics:\n  " + String.join("\n  ", m.lines().filter(l -> l.startsWith("relup_")).toList()));
        assertEquals(1.0, moves, "one hot move succeeded:\n" + m);
        assertEquals(1.0, sample(m, "relup_move_duration_seconds_count{method=\"Hot\",result=\"Succeeded\"}"));
        for (String step : List.of("transfer", "unpack", "install", "make_permanent", "copy_start_script")) {
            assertEquals(REPLICAS, sample(m, "relup_step_duration_seconds_count{step=\"" + step + "\"}"), step + " per pod");
        }
        assertEquals(1.0, sample(m, "relup_step_duration_seconds_count{step=\"build\"}"), "one package build");
        assertTrue(m.contains("operator_sdk_reconciliations") || m.contains("operator.sdk"), "JOSDK's own meters too");
    }

    /**
     * Failover: both replicas are armed to halt right after an install_release (a fault point, so the kill lands
     * mid-move every run). The downgrade needs two installs: the first leader dies after the first, a replica that
     * takes the lease over resumes from what the nodes report and dies after the second, the next one finishes.
     * Every pod is installed exactly once (counted by release_handler on the nodes) and keeps its state.
     */
    @Test
    @Order(7)
    void whenTheLeaderDiesMidMoveAnotherReplicaFinishesWithOneInstallPerPod() throws Exception {
        Helm.Result r = helm.run("upgrade", helmRelease, Helm.chart().toString(), "--namespace", ns, "--reuse-values",
                "--set", "extraEnv[0].name=RELUP_FAULT_HALT_AFTER_STEP", "--set", "extraEnv[0].value=INSTALL");
        assertEquals(0, r.exit(), "helm upgrade failed:\n" + r.output());
        await("both replicas armed and ready", OPERATOR_TIMEOUT).until(() -> {
            List<Pod> pods = operatorPods();
            return pods.size() == 2 && pods.stream().allMatch(p -> p.getSpec().getContainers().get(0).getEnv().stream()
                    .anyMatch(e -> e.getName().equals("RELUP_FAULT_HALT_AFTER_STEP"))
                    && Boolean.TRUE.equals(p.getStatus().getContainerStatuses().get(0).getReady()))
                    && leaderPod() != null;
        });
        Map<String, Ticker.Snapshot> start = Ticker.snapshot(client, ns, cookie);
        for (Ticker.Snapshot s : start.values()) {
            InstallProbe.arm(s.node(), cookie);
        }
        int restarts = operatorRestarts();
        String firstLeader = leaderPod().getMetadata().getName();
        Erel.patchSpec(client, ns, NAME, Map.of("version", "0.1.0", "image", "ticker:0.1.0"));
        await("every pod back on 0.1.0", MOVE_TIMEOUT).until(() -> Erel.readyOn(erel(), "0.1.0", REPLICAS));
        System.out.println("[e2e] first leader " + firstLeader + ", operator restarts during the move: "
                + (operatorRestarts() - restarts) + ", leader now " + leaderPod().getMetadata().getName());
        // the last halted container restarts after the kubelet's back-off: wait for it to be counted
        await("a leader halted after each install", OPERATOR_TIMEOUT).until(() -> operatorRestarts() - restarts == REPLICAS);
        Map<String, Ticker.Snapshot> after = Ticker.snapshot(client, ns, cookie);
        for (var e : start.entrySet()) {
            Ticker.Snapshot b = e.getValue();
            Ticker.Snapshot a = after.get(e.getKey());
            assertEquals(1, InstallProbe.installs(a.node(), cookie), a.pod() + ": install_release exactly once");
            assertTrue(InstallProbe.startScriptIs(a.node(), cookie, "0.1.0"), a.pod() + ": bin/ticker starts 0.1.0");
            assertEquals(b.uid(), a.uid(), a.pod() + " uid");
            assertEquals(b.restarts(), a.restarts(), a.pod() + " restartCount");
            assertEquals(b.serverPid(), a.serverPid(), a.pod() + " ticker_server pid (state kept)");
            assertTrue(a.count() >= b.count(), a.pod() + " count continued");
            assertEquals("0.1.0", a.permanentVersion(), a.pod() + " " + a.releases());
        }
        List<String> events = Erel.events(client, ns, NAME);
        assertTrue(events.stream().anyMatch(x -> x.startsWith("PodTakenOver:")), "a successor said it took a pod over: " + events);
    }
}
