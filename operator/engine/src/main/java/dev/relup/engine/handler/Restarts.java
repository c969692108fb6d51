package dev.relup.engine.handler;

import java.util.Optional;

/** Watching a node restart itself (release_handler's answer to a crash during install_release). */
final class Restarts {

    private Restarts() {
    }

    /**
     * Waits until the node is a new boot AND its release_handler answers again (sasl starts last: a new
     * kernel_sup alone does not mean which_releases works yet). Returns the version it then runs, or empty
     * if no restart was seen within {@code timeouts.restart()}.
     */
    static Optional<String> await(ReleaseHandlerClient node, Incarnation before) {
        long deadline = System.nanoTime() + node.timeouts().restart().toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (node.incarnation().differsFrom(before)) {
                    return Optional.of(node.runningVsn());
                }
            } catch (FailureException e) {
                // down, or still booting: keep trying until the deadline
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Best effort, for a failure message: what the node runs, or "unknown". */
    static String runningOrUnknown(ReleaseHandlerClient node) {
        try {
            return node.runningVsn();
        } catch (FailureException e) {
            return "unknown (" + e.failure().kind() + ")";
        }
    }
}
