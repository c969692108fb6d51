package dev.relup.operator.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Operator settings (application.properties / env RELUP_...). */
@ConfigMapping(prefix = "relup")
public interface RelupConfig {

    Rpc rpc();

    Build build();

    Requeue requeue();

    /** Timeouts of the Erlang distribution calls made to the release nodes. */
    interface Rpc {
        /** Connect + which_releases and other short calls. */
        @WithDefault("10s")
        Duration callTimeout();

        /** unpack_release / install_release: they load code and may take long on a busy node. */
        @WithDefault("120s")
        Duration installTimeout();

        /** Name of the operator's own (hidden) Erlang node; the host part is taken from the local address. */
        @WithDefault("relup_operator")
        String nodeName();
    }

    interface Build {
        /** Image with /busybox (static) and /relup_builder. */
        @WithDefault("relup-tools:dev")
        String toolsImage();

        /** Where fetched relup packages and build reports are kept. */
        @WithDefault("${java.io.tmpdir}/relup-operator/packages")
        String packageCacheDir();

        /** activeDeadlineSeconds of a build Job (build plus the wait for the operator to fetch). */
        @WithDefault("15m")
        Duration jobDeadline();

        /** How long the build pod waits for the operator to fetch the package before it exits. */
        @WithDefault("10m")
        Duration fetchWait();

        /** ttlSecondsAfterFinished of build Jobs. */
        @WithDefault("1h")
        Duration jobTtl();
    }

    interface Requeue {
        /** While something moves. */
        @WithDefault("2s")
        Duration busy();

        /** When all is well: a periodic check that catches nodes that came back on another version. */
        @WithDefault("30s")
        Duration idle();
    }
}
