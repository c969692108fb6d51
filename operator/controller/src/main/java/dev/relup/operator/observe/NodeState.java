package dev.relup.operator.observe;

/**
 * What the node poller last saw of one pod's node, with the pod incarnation it saw it for (uid and the container's
 * restart count: a new BEAM is another node), so that a pass never takes one BEAM's state for the next one's, and
 * the pod's {@link NodeChanges} count when the poll began, so that it never takes the state from before its own step for
 * the state after it.
 */
public record NodeState(String pod, String podUid, int restarts, long changesBefore, NodeObservation node) {

    public boolean describes(String uid, int containerRestarts) {
        return podUid.equals(uid) && restarts == containerRestarts;
    }

    /** No change to this node completed since this poll began: it says what the node runs now. */
    public boolean current(long changes) {
        return changesBefore == changes;
    }
}
