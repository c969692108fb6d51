package dev.relup.operator.node;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import dev.relup.engine.handler.Timeouts;
import dev.relup.operator.config.RelupConfig;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Wires the engine adapter with the configured timeouts, and the way to the pods. */
public class NodeConfig {

    @Produces
    @ApplicationScoped
    ReleaseNodes releaseNodes(RelupConfig config, PodRoutes routes) {
        RelupConfig.Rpc rpc = config.rpc();
        Timeouts t = new Timeouts(rpc.connectTimeout(), rpc.callTimeout(), rpc.installTimeout(), rpc.installTimeout(),
                rpc.codeChangeTimeout(), rpc.restartTimeout());
        return new EngineReleaseNodes(t, routes);
    }

    /** The way to the pods (nodes and build Jobs alike): {@code relup.nodes.reach}. */
    @Produces
    @ApplicationScoped
    PodRoutes podRoutes(RelupConfig config, KubernetesClient client) {
        return switch (config.nodes().reach()) {
            case DIRECT -> PodRoutes.DIRECT;
            case PORT_FORWARD -> new PortForwardRoutes(client);
        };
    }
}
