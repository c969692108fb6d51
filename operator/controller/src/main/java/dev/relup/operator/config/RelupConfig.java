package dev.relup.operator.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Operator settings (application.properties / env RELUP_...). */
@ConfigMapping(prefix = "relup")
public interface RelupConfig {

    Rpc rpc();

    Build build();

    Requeue requeue();

    Moves move();

    Fault fault();

    NodePoll nodes();

    /** How often the release nodes are asked what they run (see {@code NodePoller}). */
    interface NodePoll {
        /** While a move is in flight or a node does not serve yet. */
        @WithDefault("1s")
        Duration pollMoving();

        /** When all is well: catches a node moved behind the operator's back, or one that restarted elsewhere. */
        @WithDefault("30s")
        Duration pollIdle();

        /**
         * How the operator reaches a node's epmd and distribution port, and a build Job's output server:
         * {@code direct} to the pod IP (in the cluster), or {@code port-forward} through the API server (an operator
         * run outside a cluster whose pod network its host cannot reach; needs {@code create pods/portforward},
         * which the chart does not grant).
         */
        @WithDefault("direct")
        Reach reach();

        enum Reach { DIRECT, PORT_FORWARD }
    }

    NetworkPolicy networkPolicy();

    /**
     * The NetworkPolicy each release gets ({@code workload.DistributionPolicy}): epmd and the distribution port of its
     * pods reachable only from the release's own pods and the operator's; every other port stays open.
     */
    interface NetworkPolicy {
        /** Off: no policy is made, and the one made before is deleted at the release's next workload apply. */
        @WithDefault("true")
        boolean enabled();

        /** Namespace of the operator's pods; default: the client's own (in the cluster, its service account's). */
        Optional<String> operatorNamespace();

        /**
         * Labels of the operator's pods, {@code key=value,key=value} (the chart gives its Deployment's selector
         * labels). Unset: no operator pods are admitted, right for an operator outside the cluster: it reaches the
         * nodes through port-forward, or from a cluster node itself, and NetworkPolicy filters neither.
         */
        Optional<String> operatorLabels();
    }

    Leader leaderElection();

    /** Leader election on a coordination.k8s.io Lease (see {@code LeaderElection}). */
    interface Leader {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("relup-operator-leader")
        String leaseName();

        /** Namespace of the Lease; default: the operator's own (its service account's) namespace. */
        Optional<String> namespace();

        @WithDefault("15s")
        Duration leaseDuration();

        @WithDefault("10s")
        Duration renewDeadline();

        @WithDefault("2s")
        Duration retryPeriod();
    }

    /** Crash points for the tests that prove a move survives the operator dying between two steps. */
    interface Fault {
        /**
         * Halt the process right after this engine step (e.g. MAKE_PERMANENT) first succeeds on a pod. Never set in
         * production.
         */
        Optional<String> haltAfterStep();
    }

    /** Deadlines of a move (see {@code Decider.Deadlines}); past them the move fails with reason MoveTimedOut. */
    interface Moves {
        /**
         * From the start of a move: past it, a move that still waits (pod, node, build) or retries a failed step
         * fails. Longer than {@code build.job-deadline} so that a failing build reports itself first.
         */
        @WithDefault("20m")
        Duration timeout();

        /** How long a pod recreated by a restart move may take to be Ready with its node answering on the target. */
        @WithDefault("5m")
        Duration podReadyTimeout();

        /** First wait before a failed hot step is tried again; it doubles with each failure in a row. */
        @WithDefault("1s")
        Duration retryBase();

        /** Longest wait between two tries of a failed hot step. */
        @WithDefault("30s")
        Duration retryCap();

        /**
         * How long one pass keeps taking a pod's next hot steps: a step is begun only within it, so a pass is held for
         * this plus one step's RPC timeout at most. The steps of a downgrade take ~30 ms on the node together, a pass
         * each cost the operator several times that; 0 is one step per pass.
         */
        @WithDefault("2s")
        Duration passBudget();
    }

    /** Timeouts of the Erlang distribution calls made to the release nodes. */
    interface Rpc {
        /** TCP connect to EPMD and to the node (the handshake gets twice this). */
        @WithDefault("3s")
        Duration connectTimeout();

        /** which_releases and other short calls, each transfer chunk. */
        @WithDefault("10s")
        Duration callTimeout();

        /** unpack_release and install_release as a whole: they load code and may take long on a busy node. */
        @WithDefault("120s")
        Duration installTimeout();

        /** code_change_timeout and suspend_timeout given to install_release (less than installTimeout). */
        @WithDefault("60s")
        Duration codeChangeTimeout();

        /** How long to wait for a node to come back after a failed code_change restarted it. */
        @WithDefault("30s")
        Duration restartTimeout();
    }

    interface Build {
        /** Image with /busybox (static) and /relup_builder. */
        @WithDefault("relup-tools:dev")
        String toolsImage();

        /** Where fetched relup packages and build reports are kept. */
        @WithDefault("${java.io.tmpdir}/relup-operator/packages")
        String packageCacheDir();

        /**
         * Packages kept per ErlangRelease; older ones are deleted when a new one is stored. A pruned package that is
         * needed again is simply rebuilt, so this only bounds the operator's disk.
         */
        @WithDefault("8")
        int packageCacheKeep();

        /**
         * Largest build report accepted from a build Job, in bytes (default 1 MiB; a real one is a few KiB). The
         * Job runs the user's images: what it hands over is bounded before it is read.
         */
        @WithDefault("1048576")
        long maxReportBytes();

        /** Largest relup package accepted from a build Job, in bytes (default 512 MiB). */
        @WithDefault("536870912")
        long maxPackageBytes();

        /** activeDeadlineSeconds of a build Job (build plus the time it serves its output to the operator). */
        @WithDefault("15m")
        Duration jobDeadline();

        /** How long the build pod serves its output for the operator to pull before it exits. */
        @WithDefault("10m")
        Duration fetchWait();

        /** ttlSecondsAfterFinished of build Jobs. */
        @WithDefault("1h")
        Duration jobTtl();
    }

    interface Requeue {
        /**
         * Right after a pass that moved things on (the next step can follow at once). Short: it is paid once per pass of
         * a move; at 200 ms it was most of the operator's time per pod. The
         * pass after reads the status this one wrote from JOSDK's cache, not the informer's.
         */
        @WithDefault("10ms")
        Duration progress();

        /** While waiting for something outside (a build, a pod, a node). */
        @WithDefault("2s")
        Duration busy();

        /** When all is well: a periodic check that catches nodes that came back on another version. */
        @WithDefault("30s")
        Duration idle();
    }
}
