package dev.relup.e2e.operator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.relup.e2e.cluster.ClusterProvider;
import dev.relup.e2e.cluster.E2ePaths;

/**
 * The packaged operator ({@code operator/controller/target/quarkus-app/quarkus-run.jar}) run as a child process,
 * watching one namespace, with a package cache dir of its own. {@link #kill()} is a SIGKILL: a crash, not a
 * graceful stop.
 */
final class OperatorProcess implements AutoCloseable {

    private final Path jar;
    private final Path kubeconfig;
    private final String namespace;
    private final Path cacheDir;
    private final Path logDir;
    private final java.util.Map<String, String> extraEnv;
    private List<String> jvmOptions = List.of("-Xmx384m");
    private Process process;
    private int starts;
    private Path log;

    OperatorProcess(String namespace, Path logDir) throws IOException {
        this(namespace, logDir, java.util.Map.of());
    }

    /** {@code extraEnv}: operator settings for this run (e.g. RELUP_REQUEUE_PROGRESS). */
    OperatorProcess(String namespace, Path logDir, java.util.Map<String, String> extraEnv) throws IOException {
        this(namespace, logDir, extraEnv, E2ePaths.kubeconfig());
    }

    /** With the credentials of {@code kubeconfig} (e.g. a ServiceAccount token, to test the RBAC rules). */
    OperatorProcess(String namespace, Path logDir, java.util.Map<String, String> extraEnv, Path kubeconfig) throws IOException {
        this.extraEnv = extraEnv;
        this.jar = E2ePaths.repoRoot().resolve("operator/controller/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the operator first (mvn -pl operator/controller -am package)");
        }
        this.kubeconfig = kubeconfig;
        this.namespace = namespace;
        this.logDir = logDir;
        Files.createDirectories(logDir);
        this.cacheDir = Files.createTempDirectory("relup-operator-cache");
    }

    /** The JVM's options for the next start (default {@code -Xmx384m}); e.g. the chart's, to measure its footprint. */
    synchronized void jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
    }

    /** The chart's default JVM options ({@code javaOpts} in helm/relup-operator/values.yaml), split on blanks. */
    static List<String> chartJvmOptions() throws IOException {
        return List.of(chartValue("javaOpts").split("\\s+"));
    }

    /** The environment the chart gives the JVM besides its options: {@code MALLOC_ARENA_MAX} ({@code mallocArenaMax}). */
    static java.util.Map<String, String> chartJvmEnvironment() throws IOException {
        return java.util.Map.of("MALLOC_ARENA_MAX", chartValue("mallocArenaMax"));
    }

    /** A top-level scalar of helm/relup-operator/values.yaml, unquoted. */
    private static String chartValue(String key) throws IOException {
        for (String line : Files.readAllLines(E2ePaths.repoRoot().resolve("helm/relup-operator/values.yaml"))) {
            if (line.startsWith(key + ":")) {
                return line.substring(key.length() + 1).trim().replaceAll("^\"|\"$", "").trim();
            }
        }
        throw new IllegalStateException("no " + key + " line in helm/relup-operator/values.yaml");
    }

    /**
     * {@code -De2e.operator.jvmOptions="..."}: options added after the run's own, to look inside the operator of a run
     * (e.g. {@code -XX:NativeMemoryTracking=summary} for {@code jcmd PID VM.native_memory}); none by default.
     */
    private static List<String> diagnosticJvmOptions() {
        String v = System.getProperty("e2e.operator.jvmOptions", "").trim();
        return v.isEmpty() ? List.of() : List.of(v.split("\\s+"));
    }

    synchronized void start() throws IOException {
        start(java.util.Map.of());
    }

    /** With these settings on top of the constructor's for this run only (e.g. a fault point). */
    synchronized void start(java.util.Map<String, String> runEnv) throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        starts++;
        log = logDir.resolve("operator-" + starts + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin());
        cmd.addAll(jvmOptions);
        cmd.addAll(diagnosticJvmOptions());
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("QUARKUS_OPERATOR_SDK_CONTROLLERS_ERLANGRELEASE_NAMESPACES", namespace);
        pb.environment().put("RELUP_BUILD_PACKAGE_CACHE_DIR", cacheDir.toString());
        pb.environment().put("RELUP_BUILD_TOOLS_IMAGE", System.getProperty("relup.e2e.toolsImage", "relup-tools:dev"));
        pb.environment().put("QUARKUS_HTTP_PORT", "0");
        pb.environment().put("RELUP_LEADER_ELECTION_NAMESPACE", namespace); // no namespace in the kubeconfig context
        pb.environment().put("RELUP_NODES_REACH", reach());
        if ("direct".equals(reach())) {
            // from the host, straight to the pod IPs: the release's NetworkPolicy admits only its own pods and the
            // operator's pods, which this process is not (through port-forward, the default, it needs no admission)
            pb.environment().put("RELUP_NETWORK_POLICY_ENABLED", "false");
        }
        pb.environment().putAll(extraEnv);
        pb.environment().putAll(runEnv);
        process = pb.start();
        System.out.println("[e2e] operator started (pid " + process.pid() + "), log " + log);
    }

    /**
     * How this operator, outside the cluster, reaches the nodes: their pod IPs where the host routes the pod network
     * (the local cluster's default), else the API server's port-forward.
     */
    static String reach() {
        return ClusterProvider.get().podNetworkReachable() ? "direct" : "port-forward";
    }

    /** SIGKILL, like a crashed or evicted operator pod. */
    synchronized void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            System.out.println("[e2e] operator killed (pid " + process.pid() + ")");
        }
    }

    /** Waits for the process to end by itself (e.g. at a fault point); its exit code. */
    synchronized int awaitExit(java.time.Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the operator (pid " + process.pid() + ") did not exit within " + timeout);
        }
        System.out.println("[e2e] operator exited by itself (pid " + process.pid() + ", exit " + process.exitValue() + ")");
        return process.exitValue();
    }

    /** Deletes the operator's package cache (only while it is not running): as if its pod had been replaced. */
    void wipeCache() throws IOException {
        if (alive()) {
            throw new IllegalStateException("stop the operator first");
        }
        try (var walk = Files.walk(cacheDir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(cacheDir)).forEach(p -> p.toFile().delete());
        }
    }

    /** Open file descriptors of the operator process (Linux /proc). */
    long openFiles() throws IOException {
        try (var fds = Files.list(Path.of("/proc", String.valueOf(process.pid()), "fd"))) {
            return fds.count();
        }
    }

    /** The OS process id of the running operator (for /proc readings). */
    synchronized long pid() {
        if (!alive()) {
            throw new IllegalStateException("the operator is not running");
        }
        return process.pid();
    }

    /** The log file of the latest start. */
    synchronized Path log() {
        return log;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    Path logDir() {
        return logDir;
    }

    /**
     * SIGTERM, as Kubernetes stops a pod, and the process must end by itself (Quarkus' shutdown, the lease given
     * up): an operator that hangs there would be SIGKILLed after every pod's grace period. It was found hanging
     * (JOSDK's exit-on-stop-leading deadlocks the shutdown hook), so every test that ends an operator checks it.
     */
    @Override
    public synchronized void close() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
            throw new IllegalStateException("the operator (pid " + process.pid() + ") did not exit within 30 s of SIGTERM; "
                    + "SIGKILLed: see the end of " + log);
        }
        System.out.println("[e2e] operator stopped by SIGTERM (pid " + process.pid() + ", exit " + process.exitValue() + ")");
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
