package dev.relup.operator.packaging;

import java.io.IOException;

/**
 * The build Job's output server could not be reached, or answered nothing: the connection was refused or timed out,
 * or closed before a status line (what a port-forward to a closed port looks like). Right after the server started
 * that is its start; for longer, the operator cannot reach the Job's pods ({@link BuildJobs#fetch} then refuses).
 */
public final class BuildOutputUnreachable extends IOException {

    BuildOutputUnreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
