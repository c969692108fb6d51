package dev.relup.e2e.cluster;

import dev.relup.engine.node.NodeRoutes;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The Kubernetes cluster the end-to-end tests run against, one per JVM ({@link #get()}).
 *
 * <p>Chosen in this order:
 * <ol>
 *   <li><b>k3s</b> (testcontainers) when a Docker-compatible engine is reachable ({@code DOCKER_HOST} set or
 *       {@code /var/run/docker.sock} present) AND the k3s image ({@code relup.e2e.k3sImage} /
 *       {@code RELUP_E2E_K3S_IMAGE}, default {@value #DEFAULT_K3S_IMAGE}) is already present locally;</li>
 *   <li>the cluster of the {@code KUBECONFIG=} line of the env file that {@code e2e/cluster/prepare-e2e} writes in
 *       pre-integration-test (system property {@code relup.e2e.clusterEnv}), else of the {@code KUBECONFIG}
 *       environment variable; with the local cluster this is {@code /var/lib/relup-k8s/admin.kubeconfig};</li>
 *   <li>otherwise {@link #get()} throws: the tests FAIL, they are never skipped.</li>
 * </ol>
 *
 * <p>Images: nothing is ever pulled. Pods must use {@code imagePullPolicy: Never} (or IfNotPresent) and
 * images loaded before: on the local cluster {@link #loadReleaseImage}, {@link #loadImage} (or the build's
 * pre-integration-test, which loads ticker:0.1.0, ticker:0.2.0, relup-busybox:1 and relup-tools:dev); on
 * k3s {@link #loadImageArchive}.
 *
 * <p>Pod IPs: the tests never need a route to them. Every connection to a node or a sample's port goes through the
 * API server's port-forward ({@link #podRoutes()}), as it must on kind, k3s or a cloud cluster; the local cluster
 * routes the pod CIDR into its node's network namespace only when brought up without {@code --isolated}.
 * {@link #podNetworkReachable()} says, measured, whether the host reaches pod IPs.
 */
public final class ClusterProvider implements AutoCloseable {

    public static final String DEFAULT_K3S_IMAGE = "rancher/k3s:v1.34.4-k3s1";

    public enum Kind { K3S, KUBECONFIG }

    private static ClusterProvider instance;

    private final Kind kind;
    private final Config config;
    private final KubernetesClient client;
    private final K3sContainer k3s;
    private final Path localClusterScript;
    private final String description;
    private final NodeRoutes podRoutes;
    private PodNetwork.Probe podNetwork;

    private ClusterProvider(Kind kind, Config config, K3sContainer k3s, Path localClusterScript, String description) {
        this.kind = kind;
        this.config = config;
        this.k3s = k3s;
        this.localClusterScript = localClusterScript;
        this.description = description;
        this.client = new KubernetesClientBuilder().withConfig(config).build();
        this.podRoutes = new PodTunnel(client);
    }

    /** The cluster of this JVM, created on first use; throws {@link IllegalStateException} when there is none. */
    public static synchronized ClusterProvider get() {
        if (instance == null) {
            instance = create();
            ClusterProvider p = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(p::close, "e2e-cluster-close"));
            System.out.println("[e2e] cluster: " + p.description);
        }
        return instance;
    }

    public Kind kind() { return kind; }

    /** The client configuration (a copy can be given to an operator run in the test JVM). */
    public Config config() { return config; }

    /** The shared client; do not close it. */
    public KubernetesClient client() { return client; }

    /** The way into pods for the tests (epmd, distribution, a sample's port): the API server's port-forward. */
    public NodeRoutes podRoutes() { return podRoutes; }

    /** A new client of the same cluster; the caller closes it. */
    public KubernetesClient newClient() { return new KubernetesClientBuilder().withConfig(config).build(); }

    public String description() { return description; }

    /**
     * True when the test JVM can open TCP connections to pod IPs, measured once (see {@link PodNetwork}) unless
     * {@code -Drelup.e2e.podNetworkReachable=true|false} says. The tests reach nodes through the API server either
     * way; this only picks how an operator run on the host reaches them (directly, or by port-forward).
     */
    public synchronized boolean podNetworkReachable() {
        String override = System.getProperty("relup.e2e.podNetworkReachable");
        if (override != null) {
            return Boolean.parseBoolean(override);
        }
        if (podNetwork == null) {
            podNetwork = PodNetwork.probeAnyPod(client).orElse(new PodNetwork.Probe(false, "no running pod to probe"));
            System.out.println("[e2e] pod network " + (podNetwork.reachable() ? "reachable" : "NOT reachable")
                    + " from this host (" + podNetwork.how() + ")");
        }
        return podNetwork.reachable();
    }

    /**
     * What the build asked the local cluster for ({@code routed} or {@code isolated}: {@code e2e.podNetwork}), when
     * prepare-e2e brought it up.
     */
    public Optional<String> requestedPodNetwork() {
        return Optional.ofNullable(readEnvFile().get("RELUP_E2E_POD_NETWORK"));
    }

    /** {@code e2e/local-cluster}, when the cluster is the local one. */
    public Optional<Path> localCluster() { return Optional.ofNullable(localClusterScript); }

    /** relx release tarball -> image NAME:TAG at /opt/release -> the cluster (local cluster only). */
    public void loadReleaseImage(Path tarball, String image) {
        runLocalCluster("load-release", "--tarball", tarball.toString(), "--image", image);
    }

    /** Build a recipe of e2e/images ("operator", "tools") and load it (local cluster only). */
    public void loadImage(String... recipes) {
        List<String> args = new ArrayList<>(List.of("load-image"));
        args.addAll(List.of(recipes));
        runLocalCluster(args.toArray(String[]::new));
    }

    /** Import a docker/OCI image archive into the cluster's containerd (local cluster and k3s). */
    public void loadImageArchive(Path archive) {
        if (k3s != null) {
            String inside = "/tmp/" + archive.getFileName();
            k3s.copyFileToContainer(MountableFile.forHostPath(archive), inside);
            try {
                var r = k3s.execInContainer("ctr", "-n", "k8s.io", "images", "import", inside);
                if (r.getExitCode() != 0) {
                    throw new IllegalStateException("k3s ctr import failed: " + r.getStderr());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } else {
            runLocalCluster("load-image", "--archive", archive.toString());
        }
    }

    private void runLocalCluster(String... args) {
        if (localClusterScript == null) {
            throw new UnsupportedOperationException("not the local cluster (" + description + "): load images yourself");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(localClusterScript.toString());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroy();
                throw new IllegalStateException("failed: " + String.join(" ", cmd));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        client.close();
        if (k3s != null) {
            k3s.stop();
        }
    }

    // ------------------------------------------------------------------------------------------------ selection

    private static ClusterProvider create() {
        Map<String, String> env = new LinkedHashMap<>(readEnvFile());
        List<String> tried = new ArrayList<>();

        String k3sImage = firstNonBlank(System.getProperty("relup.e2e.k3sImage"), System.getenv("RELUP_E2E_K3S_IMAGE"),
                env.get("RELUP_E2E_K3S_IMAGE"), DEFAULT_K3S_IMAGE);
        if (dockerEngineConfigured()) {
            try {
                if (DockerClientFactory.instance().isDockerAvailable()
                        && imagePresent(k3sImage)) {
                    K3sContainer k3s = new K3sContainer(DockerImageName.parse(k3sImage).asCompatibleSubstituteFor("rancher/k3s"));
                    k3s.start();
                    Config cfg = Config.fromKubeconfig(k3s.getKubeConfigYaml());
                    return new ClusterProvider(Kind.K3S, cfg, k3s, null, "k3s " + k3sImage + " (testcontainers)");
                }
                tried.add("Docker-compatible engine found, but not the image " + k3sImage);
            } catch (RuntimeException e) {
                tried.add("k3s via testcontainers failed: " + e);
            }
        } else {
            tried.add("no Docker-compatible engine (DOCKER_HOST unset, no /var/run/docker.sock)");
        }

        // The env file first: prepare-e2e already chose (it ignores a KUBECONFIG that does not answer).
        String kubeconfig = firstNonBlank(env.get("KUBECONFIG"), System.getenv("KUBECONFIG"));
        if (kubeconfig != null) {
            Path file = Paths.get(kubeconfig.split(java.io.File.pathSeparator)[0]);
            if (Files.isReadable(file)) {
                try {
                    Config cfg = Config.fromKubeconfig(null, Files.readString(file), file.toString());
                    cfg.setRequestTimeout(60_000);
                    cfg.setConnectionTimeout(10_000);
                    // never through an HTTP(S) proxy taken from the environment: the API server is local
                    cfg.setHttpProxy(null);
                    cfg.setHttpsProxy(null);
                    Path script = localClusterScriptFor(file, env);
                    ClusterProvider p = new ClusterProvider(Kind.KUBECONFIG, cfg, null, script,
                            (script != null ? "local cluster (e2e/local-cluster), " : "") + "KUBECONFIG=" + file
                                    + " -> " + cfg.getMasterUrl());
                    waitForApi(p);
                    return p;
                } catch (IOException e) {
                    tried.add("KUBECONFIG " + file + " unreadable: " + e);
                } catch (RuntimeException e) {
                    tried.add("KUBECONFIG " + file + ": API server not reachable: " + causes(e));
                }
            } else {
                tried.add("KUBECONFIG " + file + " does not exist");
            }
        } else {
            tried.add("no KUBECONFIG (environment, or " + System.getProperty("relup.e2e.clusterEnv") + ")");
        }
        throw new IllegalStateException("No Kubernetes cluster for the e2e tests. Tried: " + String.join("; ", tried)
                + ". Run `e2e/local-cluster up` (root) and export the KUBECONFIG it prints, or run through"
                + " `mvn verify`, which brings the local cluster up in pre-integration-test.");
    }

    private static void waitForApi(ClusterProvider p) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                String ready = p.client.raw(p.config.getMasterUrl().replaceAll("/+$", "") + "/readyz");
                if (ready != null && ready.contains("ok")) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        p.client.close();
        if (last != null) {
            System.out.println("[e2e] " + p.config.getMasterUrl() + "readyz: " + causes(last));
            throw last;
        }
        throw new IllegalStateException("/readyz did not answer ok");
    }

    private static Path localClusterScriptFor(Path kubeconfig, Map<String, String> env) {
        String script = env.get("RELUP_E2E_LOCAL_CLUSTER");
        if (script == null) {
            Path candidate = E2ePaths.repoRoot().resolve("e2e/local-cluster");
            if (Files.isExecutable(candidate)) {
                // it is the local cluster when the kubeconfig is the one that script writes
                Path local = Paths.get(System.getenv().getOrDefault("RELUP_K8S_STATE", "/var/lib/relup-k8s"), "admin.kubeconfig");
                if (local.toAbsolutePath().normalize().equals(kubeconfig.toAbsolutePath().normalize())) {
                    script = candidate.toString();
                }
            }
        }
        return script == null ? null : Paths.get(script);
    }

    private static boolean dockerEngineConfigured() {
        String dh = System.getenv("DOCKER_HOST");
        return (dh != null && !dh.isBlank()) || Files.exists(Paths.get("/var/run/docker.sock"));
    }

    private static boolean imagePresent(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Map<String, String> readEnvFile() {
        Map<String, String> m = new LinkedHashMap<>();
        String f = System.getProperty("relup.e2e.clusterEnv");
        if (f == null || !Files.isReadable(Paths.get(f))) {
            return m;
        }
        try {
            for (String line : Files.readAllLines(Paths.get(f), StandardCharsets.UTF_8)) {
                int i = line.indexOf('=');
                if (i > 0 && !line.startsWith("#")) {
                    m.put(line.substring(0, i).trim(), line.substring(i + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /** "message (cause: X: msg; cause: Y: msg)" — fabric8's own messages ("An error has occurred.") say little. */
    static String causes(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            b.append(" (cause: ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(')');
        }
        return b.toString();
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
