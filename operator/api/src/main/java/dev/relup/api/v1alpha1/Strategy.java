package dev.relup.api.v1alpha1;

/** How a version change reaches the pods. */
public enum Strategy {
    /** Hot upgrade through release_handler only; a move that cannot be hot stops with Degraded, pods untouched. */
    Hot,
    /** Delete the pods one at a time so the StatefulSet recreates them on the new image. */
    Restart,
    /** Hot when the build says the step is hot-upgradable, otherwise a rolling restart. */
    Auto
}
