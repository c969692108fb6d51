package dev.relup.api.v1alpha1;

/** How one move reached (or tries to reach) the pods. */
public enum Method {
    /** release_handler install + make_permanent in the running node; pods and BEAM state stay. */
    Hot,
    /** Pods deleted one at a time and recreated by the StatefulSet on the target image. */
    Restart
}
