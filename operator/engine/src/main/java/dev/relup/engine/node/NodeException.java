package dev.relup.engine.node;

import com.ericsson.otp.erlang.OtpErlangObject;
import java.util.Optional;

/** A failure at the distribution layer, classified by {@link NodeProblem}. */
public class NodeException extends Exception {

    private final NodeProblem problem;
    private final transient OtpErlangObject reason;

    public NodeException(NodeProblem problem, String message) {
        this(problem, message, null, null);
    }

    public NodeException(NodeProblem problem, String message, Throwable cause) {
        this(problem, message, null, cause);
    }

    public NodeException(NodeProblem problem, String message, OtpErlangObject reason, Throwable cause) {
        super(message, cause);
        this.problem = problem;
        this.reason = reason;
    }

    public NodeProblem problem() {
        return problem;
    }

    /** For {@link NodeProblem#BAD_RPC}: the {@code Reason} of {@code {badrpc, Reason}}; otherwise empty. */
    public Optional<OtpErlangObject> reason() {
        return Optional.ofNullable(reason);
    }
}
