package dev.relup.operator.node;

/**
 * A failure talking to a release node, in a closed set of kinds. Messages are meant for status and events:
 * they never contain the cookie.
 */
public class NodeFailure extends Exception {

    public enum Kind {
        /** Node not reachable (EPMD, connect, node down). Retry later. */
        UNREACHABLE(true),
        /** Connected but the handshake was refused: the cookie does not match. */
        WRONG_COOKIE(false),
        /** A call did not answer in time. Retry later (after checking what happened). */
        TIMEOUT(true),
        /** The node has no relup from its release to the target. The step cannot be hot. */
        NO_UPGRADE_PATH(false),
        /** A code_change crashed during install; release_handler restarted the node on its permanent release. */
        CODE_CHANGE_FAILED(false),
        /**
         * Soft purge refused the install: processes still run old code of a module (the message names the module,
         * the pids and their functions). The node is left as it was; retrying the same package cannot help, and a
         * restart would kill exactly the processes soft purge protects: the user ends them or chooses brutal for
         * that module in {@code spec.purge.modules}.
         */
        OLD_PROCESSES(false),
        /** The package copy to the node broke off or did not verify; retry. */
        TRANSFER_FAILED(true),
        /** The package is not a valid release package (bad tar, wrong release). */
        PACKAGE_FAILED(false),
        /** The release's health check failed after the node's move, or the canary's soak did. */
        HEALTH_CHECK_FAILED(false),
        /** Anything else release_handler returned as an error. */
        OTHER(false);

        private final boolean transientFailure;

        Kind(boolean transientFailure) {
            this.transientFailure = transientFailure;
        }

        /** The kind named {@code s}, or OTHER (a status written by another version of the operator). */
        public static Kind parse(String s) {
            try {
                return valueOf(s);
            } catch (IllegalArgumentException | NullPointerException e) {
                return OTHER;
            }
        }

        public boolean isTransient() {
            return transientFailure;
        }

        /** The step itself cannot be done hot: Auto may fall back to a restart. */
        public boolean meansNotHot() {
            return this == NO_UPGRADE_PATH || this == CODE_CHANGE_FAILED;
        }
    }

    private final Kind kind;
    private final boolean nodeRestarted;

    public NodeFailure(Kind kind, String message) {
        this(kind, message, null, false);
    }

    public NodeFailure(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, false);
    }

    /** {@code nodeRestarted}: the node restarted during the step (release_handler's answer to a crash in it). */
    public NodeFailure(Kind kind, String message, Throwable cause, boolean nodeRestarted) {
        super(message, cause);
        this.kind = kind;
        this.nodeRestarted = nodeRestarted;
    }

    public Kind kind() {
        return kind;
    }

    /** The node restarted during the failed step: it runs its permanent release again, its in-memory state is gone. */
    public boolean nodeRestarted() {
        return nodeRestarted;
    }
}
