package dev.relup.api.v1alpha1;

public enum MoveResult {
    Succeeded,
    Failed,
    /** The spec changed to another version before this move finished. */
    Superseded,
    /** A pod's move, its health check or the canary's soak failed; the pods moved went back to the from-version. */
    RolledBack
}
