package dev.relup.operator.node;

import java.net.InetSocketAddress;

import dev.relup.engine.node.NodeRoutes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;

/**
 * Reaches a pod through the API server's port-forward: each TCP connection (a node's epmd, then its distribution
 * port; a build Job's output server) gets its own forward, closed with it. For an operator outside the cluster; in the cluster
 * the pod IP is dialed directly.
 */
public final class PortForwardRoutes implements PodRoutes {

    private final KubernetesClient client;

    public PortForwardRoutes(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public NodeRoutes to(String namespace, String pod) {
        return (host, port) -> {
            LocalPortForward forward = client.pods().inNamespace(namespace).withName(pod).portForward(port);
            return new NodeRoutes.Route(new InetSocketAddress(forward.getLocalAddress(), forward.getLocalPort()), forward);
        };
    }
}
