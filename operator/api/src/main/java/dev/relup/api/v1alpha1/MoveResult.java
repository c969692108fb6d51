package dev.relup.api.v1alpha1;

public enum MoveResult {
    Succeeded,
    Failed,
    /** The spec changed to another version before this move finished. */
    Superseded
}
