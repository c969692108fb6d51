package dev.relup.operator.observe;

/**
 * The build Job of the move in flight, as seen in the cluster.
 *
 * @param podName the Job's pod, to fetch the package from (FETCHABLE only)
 * @param podIp its IP, where its output server listens (FETCHABLE only)
 * @param servingSince when its output server started (FETCHABLE only; null when the kubelet did not say)
 */
public record BuildObservation(String jobName, Phase phase, String message, String podName, String podIp,
        java.time.Instant servingSince) {

    public BuildObservation(String jobName, Phase phase, String message) {
        this(jobName, phase, message, null, null, null);
    }

    public enum Phase {
        /** No such Job (never created, or deleted / expired). */
        ABSENT,
        /** Init containers still copying or building. */
        BUILDING,
        /** The package is built; the Job's main container serves it for the operator to pull. */
        FETCHABLE,
        /** The Job or its build failed; {@link #message()} says why, in the builder's words. */
        FAILED,
        /** The Job finished after the fetch (or its wait ran out): the package lives only in the operator's cache. */
        DONE
    }

    public static BuildObservation absent(String jobName) {
        return new BuildObservation(jobName, Phase.ABSENT, null);
    }
}
