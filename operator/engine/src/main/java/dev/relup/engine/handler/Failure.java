package dev.relup.engine.handler;

import java.time.Duration;
import java.util.List;

/**
 * Why a release-handler operation failed: a closed set, so a reconciler can switch over it exhaustively and
 * put {@link #kind()} into a condition reason and {@link #message()} into its message, never a raw term.
 */
public sealed interface Failure {

    /** A stable UPPER_SNAKE code, for status conditions, JSON and exit messages. */
    String kind();

    /** One line for a human. */
    String message();

    /** Whether doing the same thing again later can succeed without anyone changing anything. */
    boolean retryable();

    /** epmd down, host unreachable, or no node of that name registered. */
    record NodeUnreachable(String node, String detail) implements Failure {
        public String kind() { return "NODE_UNREACHABLE"; }
        public String message() { return detail; }
        public boolean retryable() { return true; }
    }

    /** The node is up and registered, but refuses the handshake: the cookie is wrong. */
    record AuthFailed(String node, String detail) implements Failure {
        public String kind() { return "AUTH_FAILED"; }
        public String message() { return detail; }
        public boolean retryable() { return false; }
    }

    /** No answer in time. The node may still be doing it: observe which_releases before acting again. */
    record Timeout(String operation, Duration timeout, String detail) implements Failure {
        public String kind() { return "TIMEOUT"; }
        public String message() {
            return operation + " timed out after " + timeout.toMillis() + " ms (" + detail
                    + "); the node may still be working on it";
        }
        public boolean retryable() { return true; }
    }

    /** The connection dropped mid-operation, and the node did not come back as a restarted node. */
    record ConnectionLost(String operation, String detail) implements Failure {
        public String kind() { return "CONNECTION_LOST"; }
        public String message() { return "connection lost during " + operation + ": " + detail; }
        public boolean retryable() { return true; }
    }

    /**
     * Neither the target's relup has an up entry from the running version, nor the running release's relup
     * a down entry to the target. Refused before the node's releases are touched.
     */
    record NoUpgradePath(String from, String to, String detail) implements Failure {
        public String kind() { return "NO_UPGRADE_PATH"; }
        public String message() { return "no upgrade path from " + from + " to " + to + ": " + detail; }
        public boolean retryable() { return false; }
    }

    /**
     * A {@code code_change} crashed during install_release. With {@code {error_action, restart}} the node
     * then restarts (same OS process) into the permanent release; {@code nodeRestarted} says whether that
     * restart was observed and {@code runningVsn} what runs afterwards.
     */
    record CodeChangeFailed(String module, String reason, boolean nodeRestarted, String runningVsn)
            implements Failure {
        public String kind() { return "CODE_CHANGE_FAILED"; }
        public String message() {
            return "code_change failed in " + module + " (" + reason + "); "
                    + (nodeRestarted ? "the node restarted and runs " + runningVsn
                                     : "no node restart was observed; it runs " + runningVsn);
        }
        public boolean retryable() { return false; }
    }

    /** The node went down during install_release and came back restarted (install crashed). */
    record InstallCrashed(String detail, boolean nodeRestarted, String runningVsn) implements Failure {
        public String kind() { return "INSTALL_CRASHED"; }
        public String message() {
            return "install_release crashed (" + detail + "); "
                    + (nodeRestarted ? "the node restarted and runs " + runningVsn : "it runs " + runningVsn);
        }
        public boolean retryable() { return false; }
    }

    /**
     * Soft purge refused the install: {@code processes} still run old code of {@code module}, and loading the
     * new version would have to kill them. Refused before the point of no return; the engine leaves the node as it
     * was (see {@link SoftPurgeCheck}). Retrying the same package cannot help: the processes have to end, or the
     * module has to be purged brutally (which kills them), i.e. a package built with other purge options.
     *
     * @param unpackedRemoved whether the engine removed the refused release again (it had unpacked it for this move)
     */
    record OldProcesses(String module, String target, List<OldCodeProcess> processes, boolean unpackedRemoved)
            implements Failure {
        /** How many processes a message names; the rest are counted. */
        static final int SHOWN = 5;

        public OldProcesses {
            processes = List.copyOf(processes);
        }

        public OldProcesses withUnpackedRemoved() {
            return new OldProcesses(module, target, processes, true);
        }

        public String kind() { return "OLD_PROCESSES"; }
        public String message() {
            return "soft purge refused to install " + target + ": " + who()
                    + "; nothing was installed" + (unpackedRemoved ? " and the unpacked " + target + " was removed" : "")
                    + ". To let it through, end those processes or purge " + module + " brutally (kills them): "
                    + "spec.purge.modules: {" + module + ": brutal} (relup_builder --purge-module " + module
                    + "=brutal)";
        }
        public boolean retryable() { return false; }

        private String who() {
            if (processes.isEmpty()) {
                return "processes still ran old code of " + module + " (none left when asked which)";
            }
            String shown = processes.stream().limit(SHOWN).map(OldCodeProcess::toString)
                    .collect(java.util.stream.Collectors.joining(", "));
            int more = processes.size() - SHOWN;
            return "old code of " + module + " still runs in " + processes.size()
                    + (processes.size() == 1 ? " process: " : " processes: ") + shown
                    + (more > 0 ? ", and " + more + " more" : "");
        }
    }

    /** The package did not arrive intact, or could not be written on the node. */
    record TransferFailed(String detail) implements Failure {
        public String kind() { return "TRANSFER_FAILED"; }
        public String message() { return "package transfer failed: " + detail; }
        public boolean retryable() { return true; }
    }

    /** The local package is not a release tarball this engine can use. */
    record InvalidPackage(String detail) implements Failure {
        public String kind() { return "INVALID_PACKAGE"; }
        public String message() { return "invalid release package: " + detail; }
        public boolean retryable() { return false; }
    }

    /** The node lacks the target version and the mover was given no package to bring it. */
    record NoPackage(String target) implements Failure {
        public String kind() { return "NO_PACKAGE"; }
        public String message() { return target + " is not on the node and no package is at hand"; }
        public boolean retryable() { return false; }
    }

    /** Any other {@code {error, Reason}} or {@code {badrpc, Reason}}, kept as text. */
    record HandlerError(String operation, String reason) implements Failure {
        public String kind() { return "HANDLER_ERROR"; }
        public String message() { return operation + " failed: " + reason; }
        public boolean retryable() { return false; }
    }
}
