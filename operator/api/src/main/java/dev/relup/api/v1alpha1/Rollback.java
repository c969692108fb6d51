package dev.relup.api.v1alpha1;

/** What happens to the pods already moved when a move fails on a pod, its health check or the canary's soak. */
public enum Rollback {
    /** Every pod already moved goes back to the from-version in place (release_handler downgrade, no restart). */
    Auto,
    /** The move stops; the pods stay where they are. */
    Manual
}
