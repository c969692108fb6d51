package dev.relup.e2e.release;

import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;

import dev.relup.e2e.cluster.ErlangNodes;

/**
 * Counts {@code install_release} calls where they happen: on the node, in release_handler itself. A sys debug
 * function installed in the release_handler process sees every request it gets, whoever sends it, and keeps the
 * count in a persistent_term. Unlike counting the operator's events, this cannot miss an install the operator did
 * and then died before reporting. The count lives as long as the BEAM.
 */
public final class InstallProbe {

    private static final String KEY = "relup_e2e_installs";

    private InstallProbe() {
    }

    /** Starts counting on the node from zero. */
    public static void arm(String node, String cookie) throws Exception {
        ErlangNodes.eval(node, cookie, """
                F = fun(N, {in, {'$gen_call', _, Req}}, _) when is_tuple(Req), element(1, Req) =:= install_release ->
                            persistent_term:put(%1$s, N + 1), N + 1;
                       (N, _, _) -> N
                    end,
                persistent_term:put(%1$s, 0),
                ok = sys:install(release_handler, {F, 0}).
                """.formatted(KEY));
    }

    /** install_release calls since {@link #arm}; -1 when the probe is not armed (e.g. the BEAM restarted). */
    public static long installs(String node, String cookie) throws Exception {
        OtpErlangObject r = ErlangNodes.eval(node, cookie, "persistent_term:get(" + KEY + ", -1).");
        return ((OtpErlangLong) r).longValue();
    }

    /** Whether bin/ticker is bin/ticker-VSN on the node: what a restart of the BEAM boots. */
    public static boolean startScriptIs(String node, String cookie, String vsn) throws Exception {
        OtpErlangObject r = ErlangNodes.eval(node, cookie, """
                Bin = code:root_dir() ++ "/bin/",
                {ok, A} = file:read_file(Bin ++ "ticker"),
                {ok, B} = file:read_file(Bin ++ "ticker-%s"),
                A =:= B.
                """.formatted(vsn));
        return "true".equals(r.toString());
    }
}
