package dev.relup.engine.node;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Where a TCP connection to a node's host and port actually goes. {@link #DIRECT} dials the host itself (the
 * operator runs in the cluster, next to the pods). A process outside the cluster whose host cannot reach pod IPs
 * (an operator run from a laptop, the e2e tests on an isolated cluster) opens a tunnel instead, e.g. through the
 * Kubernetes API's port-forward, and dials its local end.
 */
@FunctionalInterface
public interface NodeRoutes {

    NodeRoutes DIRECT = (host, port) -> new Route(new InetSocketAddress(host, port), () -> { });

    /** A route to {@code host:port}; its {@code release} is closed with the connection made over it. */
    Route open(String host, int port) throws IOException;

    /** The address to dial, and what to release when the connection over it closes. */
    record Route(InetSocketAddress address, Closeable release) {
    }
}
