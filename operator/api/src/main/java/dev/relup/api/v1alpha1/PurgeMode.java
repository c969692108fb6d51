package dev.relup.api.v1alpha1;

/** How old code is purged during a hot upgrade (release_handler's soft_purge / brutal_purge). */
public enum PurgeMode {
    /** Fail the step rather than kill processes still running old code. */
    soft,
    /** Kill processes still running old code. */
    brutal
}
