package dev.relup.e2e.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/** The random namespace of one test class. */
public final class TestNamespace {
    private final String name;
    private final ClusterProvider cluster;
    private final Path logDir;

    TestNamespace(String name, ClusterProvider cluster, Path logDir) {
        this.name = name;
        this.cluster = cluster;
        this.logDir = logDir;
    }

    public String name() { return name; }

    public ClusterProvider cluster() { return cluster; }

    public KubernetesClient client() { return cluster.client(); }

    /** Where {@link #dump} writes (target/e2e-logs/&lt;namespace&gt;/). */
    public Path logDir() { return logDir; }

    /** Writes pods, container logs and events of this namespace to {@link #logDir()} and stdout. */
    public void dump(String reason) {
        Diagnostics.dump(cluster.client(), name, logDir, reason);
    }

    @Override
    public String toString() { return name; }
}
