package dev.relup.e2e.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the e2e tests find the checkout and the cluster's kubeconfig on disk: for what runs outside the test JVM
 * (the packaged operator, helm, kubectl, the sample builds), which cannot be handed the {@link ClusterProvider}'s
 * client.
 */
public final class E2ePaths {

    private E2ePaths() {}

    /** The repository root: {@code relup.e2e.repoRoot} (set by the e2e pom), else found from the working dir. */
    public static Path repoRoot() {
        String p = System.getProperty("relup.e2e.repoRoot");
        if (p != null) {
            return Paths.get(p).toAbsolutePath().normalize();
        }
        Path cwd = Paths.get("").toAbsolutePath();
        return Files.isDirectory(cwd.resolve("e2e")) ? cwd : cwd.getParent();
    }

    /**
     * The kubeconfig file of the tests' cluster: KUBECONFIG, else the {@code KUBECONFIG=} line of the env file
     * prepare-e2e wrote ({@code relup.e2e.clusterEnv}), else the local cluster's.
     */
    public static Path kubeconfig() throws IOException {
        String env = System.getenv("KUBECONFIG");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String f = System.getProperty("relup.e2e.clusterEnv");
        if (f != null && Files.isRegularFile(Path.of(f))) {
            for (String line : Files.readAllLines(Path.of(f))) {
                if (line.startsWith("KUBECONFIG=")) {
                    return Path.of(line.substring("KUBECONFIG=".length()).trim());
                }
            }
        }
        Path local = Path.of("/var/lib/relup-k8s/admin.kubeconfig");
        if (Files.isRegularFile(local)) {
            return local;
        }
        throw new IllegalStateException("no kubeconfig file for the tests' cluster (KUBECONFIG unset, no env file, no local cluster)");
    }
}
