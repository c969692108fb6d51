package dev.relup.e2e.cluster;

import com.ericsson.otp.erlang.OtpErlangInt;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import dev.relup.engine.node.Cookie;
import dev.relup.engine.node.NodeException;
import dev.relup.engine.node.NodeName;
import dev.relup.engine.node.NodeProblem;
import dev.relup.engine.node.RemoteNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RPC to an Erlang node in a pod, as the tests' observer: the engine's client ({@link RemoteNode}) with every
 * connection through the API server ({@link ClusterProvider#podRoutes()}), so no route from the test host into the
 * pod network is needed. One client per node and cookie is kept for the JVM (a port-forwarded dial costs three
 * forwards); it re-dials by itself after its node restarted or a call timed out.
 */
public final class ErlangNodes {
    private ErlangNodes() {
    }

    private static final Map<String, RemoteNode> NODES = new ConcurrentHashMap<>();

    /** One entry of {@code release_handler:which_releases()}. */
    public record Release(String name, String version, List<String> apps, String status) {
    }

    /**
     * {@code rpc:call(Node, Module, Function, Args)} with a timeout; returns the result term. A {@code badrpc}, a
     * timeout or a node that cannot be reached throws.
     */
    public static OtpErlangObject rpc(String node, String cookie, long timeoutMillis, String module, String function,
                                      OtpErlangObject... args) throws Exception {
        RemoteNode n = node(node, cookie);
        try {
            return n.call(module, function, Duration.ofMillis(timeoutMillis), args);
        } catch (NodeException e) {
            if (e.problem() == NodeProblem.BAD_RPC) {
                throw e;
            }
            forget(node, cookie, n);
            if (e.problem() != NodeProblem.CONNECTION_LOST) {
                throw e;
            }
        }
        // the kept connection had gone stale (the node restarted, or dropped us while it was frozen): dial afresh
        return node(node, cookie).call(module, function, Duration.ofMillis(timeoutMillis), args);
    }

    /** {@code erlang:halt(1)} on the node: a BEAM crash. Never retried (the node dies before it can answer). */
    public static void halt(String node, String cookie) {
        RemoteNode n;
        try {
            n = node(node, cookie);
        } catch (NodeException e) {
            throw new IllegalStateException("cannot reach " + node + " to halt it: " + e.getMessage(), e);
        }
        try {
            n.call("erlang", "halt", Duration.ofSeconds(3), new OtpErlangInt(1));
        } catch (NodeException expected) {
            // the connection goes down with the node
        } finally {
            forget(node, cookie, n);
        }
    }

    /**
     * Evaluates Erlang expressions on the node ({@code erl_scan}, {@code erl_parse}, {@code erl_eval} there) and
     * returns the value: for probes that need a fun on the node, which Jinterface cannot build.
     */
    public static OtpErlangObject eval(String node, String cookie, String exprs) throws Exception {
        RemoteNode n = node(node, cookie);
        try {
            return n.eval(exprs, Map.of(), Duration.ofSeconds(15));
        } catch (NodeException e) {
            forget(node, cookie, n);
            throw e;
        }
    }

    private static RemoteNode node(String node, String cookie) throws NodeException {
        String key = node + "#" + cookie;
        RemoteNode n = NODES.get(key);
        if (n == null) {
            int at = node.indexOf('@');
            n = RemoteNode.connect(new NodeName(node.substring(0, at), node.substring(at + 1)), Cookie.of(cookie),
                    Duration.ofSeconds(5), ClusterProvider.get().podRoutes());
            RemoteNode raced = NODES.putIfAbsent(key, n);
            if (raced != null) {
                n.close();
                n = raced;
            }
        }
        return n;
    }

    private static void forget(String node, String cookie, RemoteNode n) {
        if (NODES.remove(node + "#" + cookie, n)) {
            n.close();
        }
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
