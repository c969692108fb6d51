package dev.relup.e2e.cluster;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;

/** A command run in a pod's first container through the API server (what {@code kubectl exec} does). */
public final class PodExec {

    private PodExec() {
    }

    /** Stdout of {@code command}; throws with stdout and stderr when it exits non-zero. */
    public static String run(KubernetesClient client, String ns, String pod, String... command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ExecWatch w = client.pods().inNamespace(ns).withName(pod).writingOutput(out).writingError(err).exec(command)) {
            int code = w.exitCode().get(60, TimeUnit.SECONDS);
            String s = out.toString(StandardCharsets.UTF_8);
            if (code != 0) {
                throw new IllegalStateException("exec " + String.join(" ", command) + " in " + pod + " -> exit " + code
                        + ": " + s + err.toString(StandardCharsets.UTF_8));
            }
            return s;
        }
    }
}
