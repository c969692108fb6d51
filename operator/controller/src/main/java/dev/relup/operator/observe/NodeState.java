package dev.relup.operator.observe;

/**
 * What the node poller last saw of one pod's node, with the pod incarnation it saw it for (uid and the container's
 * restart count: a new BEAM is another node), so that a pass never takes one BEAM's state for the next one's.
 */
public record NodeState(String pod, String podUid, int restarts, NodeObservation node) {

    public boolean describes(String uid, int containerRestarts) {
        return podUid.equals(uid) && restarts == containerRestarts;
    }
}
