package dev.relup.engine.handler;

/**
 * Which boot of a node we are talking to. Measured on OTP 25: after {@code init:restart()} (what
 * release_handler does when a code_change fails) the OS pid stays, and so do {@code statistics(wall_clock)}
 * and {@code system_info(start_time)}, but every process except init is new: the pid of {@code kernel_sup}
 * changes. So (OS pid, kernel_sup pid) tells "same boot", "restarted in place" and "new OS process" apart.
 */
public record Incarnation(String osPid, String kernelSup) {

    /** Same OS process, but booted again (init:restart). */
    public boolean restartedInPlaceSince(Incarnation before) {
        return osPid.equals(before.osPid) && !kernelSup.equals(before.kernelSup);
    }

    /** Any restart, in place or as a new OS process. */
    public boolean differsFrom(Incarnation before) {
        return !equals(before);
    }
}
