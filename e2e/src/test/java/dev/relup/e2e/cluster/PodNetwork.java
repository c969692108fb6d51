package dev.relup.e2e.cluster;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Whether the test host reaches pod IPs, measured: a TCP connect to a running pod's IP. An answer (accepted, or
 * refused by the pod's kernel) means a route exists; no route, or silence, means it does not.
 */
public final class PodNetwork {

    /** What a probe found: {@code reachable}, and the pod and address it tried, in words. */
    public record Probe(boolean reachable, String how) {
    }

    private PodNetwork() {
    }

    /** Probes {@code ip:port} directly from this JVM, waiting at most {@code millis}. */
    public static Probe probe(String ip, int port, int millis) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), millis);
            return new Probe(true, "connected to " + ip + ":" + port);
        } catch (ConnectException e) {
            boolean refused = String.valueOf(e.getMessage()).contains("refused");
            return new Probe(refused, ip + ":" + port + ": " + e.getMessage());
        } catch (IOException e) {
            return new Probe(false, ip + ":" + port + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }

    /** Probes a running pod (not on the host network) of the cluster, if there is one. */
    public static Optional<Probe> probeAnyPod(KubernetesClient client) {
        return client.pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> p.getSpec().getHostNetwork() == null || !p.getSpec().getHostNetwork())
                .filter(p -> "Running".equals(p.getStatus().getPhase()) && p.getStatus().getPodIP() != null)
                .findFirst()
                .map(p -> describe(p, probe(p.getStatus().getPodIP(), 53, 2_000)));
    }

    private static Probe describe(Pod p, Probe probe) {
        return new Probe(probe.reachable(), "pod " + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()
                + ": " + probe.how());
    }
}
