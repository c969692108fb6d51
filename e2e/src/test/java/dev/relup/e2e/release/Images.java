package dev.relup.e2e.release;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.relup.e2e.cluster.ClusterProvider;
import dev.relup.e2e.cluster.E2ePaths;

/**
 * Loads into the local cluster's containerd the images of a test that prepare-e2e did not load (e.g. a run with
 * -De2e.prepare.skip, or an image only one test uses): nothing is ever pulled, so a missing image would otherwise
 * show as a pod stuck in ErrImageNeverPull.
 */
public final class Images {

    private Images() {}

    /**
     * Each image ("ticker:VERSION", "tally:VERSION", "relup-tools:dev", "relup-operator:dev") not in the cluster yet
     * is built and loaded.
     */
    public static void ensure(ClusterProvider cluster, List<String> images) throws Exception {
        String loaded = run(List.of("ctr", "--address", "/run/relup-k8s/containerd/containerd.sock", "-n", "k8s.io",
                "images", "ls", "-q")) + "\n";
        Path root = E2ePaths.repoRoot();
        Path cache = Path.of(System.getenv().getOrDefault("RELUP_CACHE", System.getProperty("user.home") + "/.cache/relup-operator"));
        for (String image : images) {
            if (loaded.contains("docker.io/library/" + image + "\n")) {
                continue;
            }
            String name = image.substring(0, image.indexOf(':'));
            String tag = image.substring(image.indexOf(':') + 1);
            switch (name) {
                case "ticker", "tally" -> {
                    run(List.of(root.resolve("samples/" + name + "/build-all").toString(), tag));
                    cluster.loadReleaseImage(cache.resolve(name + "/" + name + "-" + tag + ".tar.gz"), image);
                }
                case "relup-tools" -> cluster.loadImage("tools");
                case "relup-operator" -> {
                    if (!Files.isRegularFile(root.resolve("operator/controller/target/quarkus-app/quarkus-run.jar"))) {
                        throw new IllegalStateException("relup-operator:dev is not in the cluster and operator/controller is not "
                                + "packaged: mvn -pl operator/controller -am package -DskipTests");
                    }
                    cluster.loadImage("operator");
                }
                default -> throw new IllegalArgumentException("no recipe for " + image);
            }
        }
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " failed: " + out);
        }
        return out;
    }
}
