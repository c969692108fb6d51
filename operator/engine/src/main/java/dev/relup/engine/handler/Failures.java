package dev.relup.engine.handler;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import dev.relup.engine.node.NodeException;
import dev.relup.engine.node.Terms;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Maps what the node said into a {@link Failure}. Pure functions: unit-tested without a node. */
public final class Failures {

    private static final int MAX_TERM = 300;

    private Failures() {
    }

    /** A failure of the distribution layer during {@code operation}. */
    public static Failure fromNode(String node, String operation, NodeException e, Duration timeout) {
        return switch (e.problem()) {
            case UNREACHABLE, NOT_REGISTERED -> new Failure.NodeUnreachable(node, e.getMessage());
            case AUTH_FAILED -> new Failure.AuthFailed(node, e.getMessage());
            case TIMEOUT -> new Failure.Timeout(operation, timeout, e.getMessage());
            case CONNECTION_LOST -> new Failure.ConnectionLost(operation, e.getMessage());
            case BAD_RPC -> e.reason()
                    .filter(r -> Terms.tagged(r, "EXIT", 2).map(x -> isNoproc(x[1])).orElse(false))
                    .<Failure>map(r -> new Failure.HandlerError(operation,
                            "release_handler is not running on the node (is sasl in the release?): "
                                    + Terms.show(r, MAX_TERM)))
                    .orElseGet(() -> new Failure.HandlerError(operation, e.getMessage()));
        };
    }

    /** The {@code Reason} of an {@code {error, Reason}} that release_handler returned. */
    public static Failure fromError(String operation, String from, String to, OtpErlangObject reason) {
        Optional<OtpErlangObject[]> oldProcs = Terms.tagged(reason, "old_processes", 2);
        if (oldProcs.isPresent()) {
            // which processes, only the node can say: SoftPurgeCheck asks it where it can
            return new Failure.OldProcesses(textOf(oldProcs.get()[1]), to, List.of(), false);
        }
        Optional<OtpErlangObject[]> noMatch = Terms.tagged(reason, "no_matching_relup", 3);
        if (noMatch.isPresent()) {
            return new Failure.NoUpgradePath(from, to, "release_handler found no matching relup entry");
        }
        Optional<OtpErlangObject[]> enoent = Terms.tagged(reason, "enoent", 2);
        if (enoent.isPresent() && textOf(enoent.get()[1]).endsWith("/relup")) {
            return new Failure.NoUpgradePath(from, to, "missing " + textOf(enoent.get()[1]));
        }
        Optional<CodeChange> cc = codeChange(reason);
        if (cc.isPresent()) {
            return new Failure.CodeChangeFailed(cc.get().module(), cc.get().reason(), false, from);
        }
        return new Failure.HandlerError(operation, Terms.show(reason, MAX_TERM));
    }

    /** The module and reason of {@code {code_change_failed, Pid, Mod, Vsn, Reason}}, if that is what it is. */
    public static Optional<CodeChange> codeChange(OtpErlangObject reason) {
        return Terms.tagged(reason, "code_change_failed", 5)
                .map(e -> new CodeChange(Terms.show(e[2], 100), Terms.show(e[4], MAX_TERM)));
    }

    /** The interesting part of a failed code_change. */
    public record CodeChange(String module, String reason) {
    }

    private static boolean isNoproc(OtpErlangObject exit) {
        return exit instanceof OtpErlangTuple t && t.arity() >= 1 && Terms.isAtom(t.elementAt(0), "noproc");
    }

    private static String textOf(OtpErlangObject term) {
        try {
            return Terms.text(term);
        } catch (IllegalArgumentException e) {
            return String.valueOf(term);
        }
    }
}
