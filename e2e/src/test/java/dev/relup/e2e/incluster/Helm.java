package dev.relup.e2e.incluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.relup.e2e.cluster.ClusterProvider;
import dev.relup.e2e.cluster.E2ePaths;

/**
 * helm v3 as built by {@code e2e/local-cluster build-helm} (from its Go module, once; cached under
 * {@code ${RELUP_CACHE}/k8s/helm-VERSION/}), run against the cluster of the tests with its state under target/.
 */
final class Helm {

    record Result(int exit, String output) {}

    private final Path binary;
    private final Path kubeconfig;
    private final Path home;

    private Helm(Path binary, Path kubeconfig, Path home) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.home = home;
    }

    /** Builds helm if it is not cached yet (a few minutes, once), else only finds it. */
    static Helm local(ClusterProvider cluster) throws Exception {
        Path script = E2ePaths.repoRoot().resolve("e2e/local-cluster");
        Process p = new ProcessBuilder(script.toString(), "build-helm").redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("e2e/local-cluster build-helm failed: " + out);
        }
        Path bin = Path.of(out.lines().reduce((a, b) -> b).orElse(""));
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("e2e/local-cluster build-helm printed no helm binary: " + out);
        }
        Path home = Path.of(System.getProperty("relup.e2e.logDir", "target/e2e-logs")).toAbsolutePath().getParent().resolve("helm-home");
        return new Helm(bin, E2ePaths.kubeconfig(), home);
    }

    static Path chart() {
        return E2ePaths.repoRoot().resolve("helm/relup-operator");
    }

    Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
        pb.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
        pb.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("helm " + String.join(" ", args) + " timed out:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }
}
