package dev.relup.engine.node;

/** Why talking to a node failed, as far as the distribution layer can tell. */
public enum NodeProblem {
    /** epmd on the node's host does not answer (host down, no route, nothing listening on 4369). */
    UNREACHABLE,
    /** epmd answers, but no node of that name is registered (the VM is not running or has another name). */
    NOT_REGISTERED,
    /** The node is registered and its port accepts, but the handshake is refused: almost always the cookie. */
    AUTH_FAILED,
    /** A call got no answer within its timeout; the remote side may still be working on it. */
    TIMEOUT,
    /** The connection dropped (the node stopped or restarted, e.g. after a failed code_change). */
    CONNECTION_LOST,
    /** The remote call itself failed: {@code {badrpc, Reason}} (undefined function, exception, ...). */
    BAD_RPC
}
