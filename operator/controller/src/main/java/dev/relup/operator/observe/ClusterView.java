package dev.relup.operator.observe;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * What one pass reads of the cluster for one ErlangRelease. In the operator it is the informers' caches
 * ({@link CachedClusterView}): a pass sends no request to the API server to observe. Pass tests read a CRUD API.
 */
public interface ClusterView {

    /** The release's StatefulSet. */
    Optional<StatefulSet> statefulSet();

    /** Every pod labelled for the release: its nodes and its build Jobs' pods. */
    List<Pod> pods();

    /** A build Job of the release, by name. */
    Optional<Job> job(String name);

    /** The nodes' states as the {@link NodePoller} last saw them, by pod name (empty: ask the nodes). */
    Map<String, NodeState> nodeStates();

    /** The Erlang cookie of the release's nodes, when its Secret exists. */
    Optional<char[]> cookie();

    /** The cookie was refused: read it again next time (the Secret may have been replaced). */
    void cookieRefused();
}
