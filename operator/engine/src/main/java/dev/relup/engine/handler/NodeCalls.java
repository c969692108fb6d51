package dev.relup.engine.handler;

import com.ericsson.otp.erlang.OtpErlangObject;
import dev.relup.engine.node.NodeException;
import dev.relup.engine.node.RemoteNode;
import dev.relup.engine.node.Terms;
import java.time.Duration;
import java.util.Map;

/** RPCs to one node with the engine's failure mapping: every failure a {@link FailureException}. */
final class NodeCalls {

    private final RemoteNode node;

    NodeCalls(RemoteNode node) {
        this.node = node;
    }

    OtpErlangObject call(String operation, Duration timeout, String module, String function, OtpErlangObject... args)
            throws FailureException {
        try {
            return node.call(module, function, timeout, args);
        } catch (NodeException e) {
            throw fail(Failures.fromNode(node.target().toString(), operation, e, timeout));
        }
    }

    OtpErlangObject eval(String operation, String expr, Map<String, OtpErlangObject> bindings, Duration timeout)
            throws FailureException {
        try {
            return node.eval(expr, bindings, timeout);
        } catch (NodeException e) {
            throw fail(Failures.fromNode(node.target().toString(), operation, e, timeout));
        }
    }

    /** {@code ok} or {@code {ok, _}}, else a HandlerError naming the operation and the answer. */
    static void expectOk(String operation, OtpErlangObject r) throws FailureException {
        if (!Terms.isAtom(r, "ok") && Terms.tagged(r, "ok", 2).isEmpty()) {
            throw fail(new Failure.HandlerError(operation, Terms.show(r, 200)));
        }
    }

    static FailureException fail(Failure failure) {
        return new FailureException(failure);
    }
}
