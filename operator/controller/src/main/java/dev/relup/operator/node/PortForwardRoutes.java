package dev.relup.operator.node;

import java.net.InetSocketAddress;

import dev.relup.engine.node.NodeRoutes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;

/**
 * Reaches a node through the API server's port-forward to its pod: each TCP connection (epmd, then the
 * distribution port) gets its own forward, closed with it. For an operator outside the cluster; in the cluster
 * the pod IP is dialed directly.
 */
public final class PortForwardRoutes implements PodRoutes {

    private final KubernetesClient client;

    public PortForwardRoutes(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public NodeRoutes to(NodeRef ref) {
        return (host, port) -> {
            LocalPortForward forward = client.pods().inNamespace(ref.namespace()).withName(ref.pod()).portForward(port);
            return new NodeRoutes.Route(new InetSocketAddress(forward.getLocalAddress(), forward.getLocalPort()), forward);
        };
    }
}
