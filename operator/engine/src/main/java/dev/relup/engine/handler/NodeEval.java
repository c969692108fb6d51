package dev.relup.engine.handler;

import com.ericsson.otp.erlang.OtpErlangObject;
import java.time.Duration;
import java.util.Map;

/**
 * Erlang expressions evaluated on a client's node, with the client's failure mapping, for engine packages outside
 * this one that run their own code on the node (e.g. {@code dev.relup.engine.config}): the client keeps its
 * {@code NodeCalls} package-private, this is the one door out.
 */
public final class NodeEval {

    private NodeEval() {
    }

    /** The value of the last expression; any failure (timeout, badrpc, lost connection) a {@link FailureException}. */
    public static OtpErlangObject eval(ReleaseHandlerClient node, String operation, String expressions,
            Map<String, OtpErlangObject> bindings, Duration timeout) throws FailureException {
        return node.calls().eval(operation, expressions, bindings, timeout);
    }
}
