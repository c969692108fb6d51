package dev.relup.operator.node;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import dev.relup.engine.handler.Timeouts;
import dev.relup.operator.config.RelupConfig;

/** Wires the engine adapter with the configured timeouts. */
public class NodeConfig {

    @Produces
    @ApplicationScoped
    ReleaseNodes releaseNodes(RelupConfig config) {
        RelupConfig.Rpc rpc = config.rpc();
        Timeouts t = new Timeouts(rpc.connectTimeout(), rpc.callTimeout(), rpc.installTimeout(), rpc.installTimeout(),
                rpc.codeChangeTimeout(), rpc.restartTimeout());
        return new EngineReleaseNodes(t);
    }
}
