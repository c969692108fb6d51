package dev.relup.e2e.cluster;

import com.ericsson.otp.erlang.OtpConnection;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpPeer;
import com.ericsson.otp.erlang.OtpSelf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Minimal Jinterface RPC to an Erlang node in a pod (by pod IP: the local cluster routes the pod CIDR to the
 * host). Test-side helper, independent of relup-engine: a hidden Java node named
 * {@code relup_e2e_<random>@127.0.0.1} connects through the pod's epmd (4369) to its distribution port.
 */
public final class ErlangNodes {
    private ErlangNodes() {
    }

    private static final Map<String, OtpSelf> SELVES = new ConcurrentHashMap<>();

    /** One local Java node per cookie for the whole JVM (OtpSelf holds a listen socket and cannot be closed). */
    private static OtpSelf self(String cookie) {
        return SELVES.computeIfAbsent(cookie, c -> {
            try {
                return new OtpSelf("relup_e2e_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + "@127.0.0.1", c);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** One entry of {@code release_handler:which_releases()}. */
    public record Release(String name, String version, List<String> apps, String status) {
    }

    /** {@code rpc:call(Node, Module, Function, Args)} with a timeout; returns the result term. */
    public static OtpErlangObject rpc(String node, String cookie, long timeoutMillis, String module, String function,
                                      OtpErlangObject... args) throws Exception {
        OtpConnection conn = self(cookie).connect(new OtpPeer(node));
        try {
            conn.sendRPC(module, function, new OtpErlangList(args));
            OtpErlangObject reply = conn.receive(timeoutMillis);
            if (reply == null) {
                throw new IllegalStateException("no rpc reply from " + node + " within " + timeoutMillis + " ms");
            }
            // {rex, Result}
            if (reply instanceof OtpErlangTuple t && t.arity() == 2) {
                return t.elementAt(1);
            }
            throw new IllegalStateException("unexpected rpc reply " + reply);
        } finally {
            conn.close();
        }
    }

    /**
     * Evaluates Erlang expressions on the node ({@code erl_scan}, {@code erl_parse}, {@code erl_eval} there) and
     * returns the value: for probes that need a fun on the node, which Jinterface cannot build.
     */
    public static OtpErlangObject eval(String node, String cookie, String exprs) throws Exception {
        OtpErlangObject scanned = rpc(node, cookie, 15_000, "erl_scan", "string", new OtpErlangString(exprs));
        OtpErlangObject parsed = rpc(node, cookie, 15_000, "erl_parse", "parse_exprs", ok(scanned, exprs));
        OtpErlangObject value = rpc(node, cookie, 15_000, "erl_eval", "exprs", ok(parsed, exprs), new OtpErlangList());
        if (value instanceof OtpErlangTuple t && t.arity() == 3 && "value".equals(t.elementAt(0).toString())) {
            return t.elementAt(1);
        }
        throw new IllegalStateException("evaluating on " + node + " failed: " + value);
    }

    private static OtpErlangObject ok(OtpErlangObject r, String exprs) {
        if (r instanceof OtpErlangTuple t && t.arity() >= 2 && "ok".equals(t.elementAt(0).toString())) {
            return t.elementAt(1);
        }
        throw new IllegalArgumentException("not Erlang expressions (" + r + "): " + exprs);
    }

    public static List<Release> whichReleases(String node, String cookie) throws Exception {
        OtpErlangObject r = rpc(node, cookie, 15_000, "release_handler", "which_releases");
        List<Release> out = new ArrayList<>();
        for (OtpErlangObject o : (OtpErlangList) r) {
            OtpErlangTuple t = (OtpErlangTuple) o;
            List<String> apps = new ArrayList<>();
            for (OtpErlangObject a : listOf(t.elementAt(2))) {
                apps.add(string(a));
            }
            out.add(new Release(string(t.elementAt(0)), string(t.elementAt(1)), apps, t.elementAt(3).toString()));
        }
        return out;
    }

    private static OtpErlangList listOf(OtpErlangObject o) throws Exception {
        if (o instanceof OtpErlangList l) {
            return l;
        }
        if (o instanceof OtpErlangString s) {
            return new OtpErlangList(s.stringValue());
        }
        throw new IllegalArgumentException("not a list: " + o);
    }

    /** An Erlang string (charlist) as Java String. */
    public static String string(OtpErlangObject o) throws Exception {
        if (o instanceof OtpErlangString s) {
            return s.stringValue();
        }
        if (o instanceof OtpErlangList l) {
            return l.stringValue();
        }
        return o.toString();
    }
}
