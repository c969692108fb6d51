package dev.relup.operator.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.yaml.snakeyaml.Yaml;

/**
 * {@code helm template} of the chart, as objects. helm is the one {@code e2e/local-cluster build-helm} builds from its
 * Go module (once, cached under {@code ${RELUP_CACHE}/k8s/}: no cluster needed), or {@code $RELUP_HELM} when set.
 */
final class ChartRender {

    static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
    static final Path CHART = REPO.resolve("helm/relup-operator");
    private static Path helm;

    private ChartRender() {}

    /** Every object rendered with these {@code --set} values, in release "r" of namespace "relup-system". */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> render(String... sets) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(helm().toString(), "template", "r", CHART.toString(), "-n", "relup-system"));
        for (String s : sets) {
            cmd.add("--set");
            cmd.add(s);
        }
        String out = run(cmd);
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object o : new Yaml().loadAll(out)) {
            if (o != null) {
                objects.add((Map<String, Object>) o);
            }
        }
        return objects;
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object o, String... path) {
        Object cur = o;
        for (String p : path) {
            cur = cur == null ? null : ((Map<String, Object>) cur).get(p);
        }
        return (T) cur;
    }

    private static synchronized Path helm() throws Exception {
        if (helm != null) {
            return helm;
        }
        String given = System.getenv("RELUP_HELM");
        if (given != null && !given.isBlank()) {
            helm = Path.of(given);
        } else {
            String out = run(List.of(REPO.resolve("e2e/local-cluster").toString(), "build-helm"));
            helm = Path.of(out.strip().lines().reduce((a, b) -> b).orElse(""));
        }
        if (!Files.isExecutable(helm)) {
            throw new IllegalStateException("no helm binary at " + helm);
        }
        return helm;
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("helm-home");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        // helm's own state in a throwaway directory, never the user's ~/.config/helm
        pb.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
        pb.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
        pb.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        }
        return Objects.requireNonNull(out);
    }
}
