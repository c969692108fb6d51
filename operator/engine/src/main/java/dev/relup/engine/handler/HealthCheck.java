package dev.relup.engine.handler;

import java.time.Duration;
import java.util.Map;

import com.ericsson.otp.erlang.OtpErlangObject;

import dev.relup.engine.node.Terms;

/**
 * Calls the release's own health function on a node: {@code apply(Module, Function, Args)} with {@code Args} an
 * Erlang list given as text (parsed on the node, so any term the user can write works). {@code ok} or
 * {@code true} passes; any other answer, a crash or a timeout fails, and the answer is kept for the message.
 */
public final class HealthCheck {

    /** The check's outcome; {@code beam}: which boot of the node answered (a restart between checks shows). */
    public record Verdict(boolean passed, String answer, long millis, Incarnation beam) {}

    // parsed and applied on the node; a crash is caught there so that its reason is the answer
    private static final String EXPR = """
            Parsed = case erl_scan:string(ArgsText ++ ".") of
                         {ok, Tokens, _} -> erl_parse:parse_term(Tokens);
                         ScanError -> ScanError
                     end,
            case Parsed of
                {ok, Args} when is_list(Args) ->
                    try erlang:apply(M, F, Args) of
                        V when V =:= ok; V =:= true -> {pass, unicode:characters_to_binary(io_lib:format("~0tP", [V, 30]))};
                        V -> {fail, unicode:characters_to_binary(io_lib:format("~0tP", [V, 30]))}
                    catch
                        C:E -> {fail, unicode:characters_to_binary(io_lib:format("crashed: ~0tP:~0tP", [C, 30, E, 30]))}
                    end;
                _ ->
                    {fail, unicode:characters_to_binary(["args are not an Erlang list: ", ArgsText])}
            end.
            """;

    private HealthCheck() {
    }

    public static Verdict run(ReleaseHandlerClient node, String module, String function, String args, Duration timeout)
            throws FailureException {
        long t0 = System.nanoTime();
        OtpErlangObject r;
        try {
            r = node.calls().eval("health check " + module + ":" + function, EXPR, Map.of("M", Terms.atom(module),
                    "F", Terms.atom(function), "ArgsText", Terms.charlist(args == null ? "[]" : args)), timeout);
        } catch (FailureException e) {
            if (e.failure() instanceof Failure.Timeout) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                return new Verdict(false, "no answer within " + timeout.toSeconds() + " s", ms, node.incarnation());
            }
            throw e;
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        OtpErlangObject[] pair = Terms.tagged(r, "pass", 2).or(() -> Terms.tagged(r, "fail", 2))
                .orElseThrow(() -> new FailureException(new Failure.HandlerError("health check", Terms.show(r, 200))));
        return new Verdict(Terms.isAtom(pair[0], "pass"), Terms.text(pair[1]), ms, node.incarnation());
    }
}
