package dev.relup.e2e.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

import dev.relup.engine.node.NodeRoutes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;

/**
 * The tests' way into pods: every TCP connection to a pod IP (epmd, Erlang distribution, a sample's own port) goes
 * through the API server's port-forward to the pod that has that IP. Nothing depends on the test host routing the
 * pod network, so the suite runs on any cluster it has a kubeconfig for.
 */
public final class PodTunnel implements NodeRoutes {

    private final KubernetesClient client;

    public PodTunnel(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Route open(String host, int port) throws IOException {
        Pod pod = podWithIp(host);
        LocalPortForward forward;
        try {
            forward = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .portForward(port);
        } catch (RuntimeException e) {
            throw new IOException("port-forward to " + pod.getMetadata().getName() + ":" + port + ": " + e.getMessage(), e);
        }
        return new Route(new InetSocketAddress(forward.getLocalAddress(), forward.getLocalPort()), forward);
    }

    private Pod podWithIp(String ip) throws IOException {
        List<Pod> pods;
        try {
            pods = client.pods().inAnyNamespace().withField("status.podIP", ip).list().getItems().stream()
                    .filter(p -> p.getSpec().getHostNetwork() == null || !p.getSpec().getHostNetwork())
                    .filter(p -> "Running".equals(p.getStatus().getPhase()))
                    .toList();
        } catch (RuntimeException e) {
            throw new IOException("finding the pod of " + ip + ": " + e.getMessage(), e);
        }
        if (pods.size() != 1) {
            throw new IOException("no single running pod has IP " + ip + " (" + pods.size() + " do)");
        }
        return pods.get(0);
    }
}
