package dev.relup.engine.node;

import com.ericsson.otp.erlang.OtpAuthException;
import com.ericsson.otp.erlang.OtpConnection;
import com.ericsson.otp.erlang.OtpErlangExit;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpPeer;
import com.ericsson.otp.erlang.OtpSelf;
import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One distribution connection to one Erlang node, used for RPC through the node's {@code rex} server.
 *
 * <p>Every call has its own timeout: OTP's {@code release_handler} calls wait forever, so the caller must
 * bound them. A call that times out closes the connection (a late {@code {rex, Reply}} would otherwise be
 * taken for the answer to the next call); the next call dials again.
 *
 * <p>The local side is an {@link OtpSelf} with a unique name, which never registers with epmd and does not
 * listen at all (no server socket, see {@link TimedTransportFactory}): the operator's pod runs no epmd, and the
 * target node never needs to dial back. {@link #close()} releases every socket, also after a failed connect.
 *
 * <p>Not thread-safe in the sense of interleaving calls: methods are synchronized, one call at a time.
 */
public final class RemoteNode implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final NodeName target;
    private final Cookie cookie;
    private final Duration connectTimeout;
    private final NodeRoutes routes;
    private final TimedTransportFactory transports;
    private final OtpSelf self;
    private OtpConnection connection;

    private RemoteNode(NodeName target, Cookie cookie, Duration connectTimeout, NodeRoutes routes) throws IOException {
        this.target = target;
        this.cookie = cookie;
        this.connectTimeout = connectTimeout;
        this.routes = routes;
        this.transports = new TimedTransportFactory(connectTimeout, routes);
        this.self = new OtpSelf(selfName(target), cookie.reveal(), 0, transports);
    }

    /**
     * Connects to {@code target}; fails fast, with the cause classified (unreachable, not registered, bad
     * cookie, timeout).
     */
    public static RemoteNode connect(NodeName target, Cookie cookie, Duration connectTimeout)
            throws NodeException {
        return connect(target, cookie, connectTimeout, NodeRoutes.DIRECT);
    }

    /** {@link #connect(NodeName, Cookie, Duration)} with every TCP connection (epmd, distribution) over {@code routes}. */
    public static RemoteNode connect(NodeName target, Cookie cookie, Duration connectTimeout, NodeRoutes routes)
            throws NodeException {
        RemoteNode node;
        try {
            node = new RemoteNode(target, cookie, connectTimeout, routes);
        } catch (IOException e) {
            throw new NodeException(NodeProblem.UNREACHABLE, "cannot create the local Jinterface node: " + e, e);
        }
        try {
            node.ensureConnected();
        } catch (NodeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    public NodeName target() {
        return target;
    }

    /** The name this client shows to the node (hidden node, unique per client). */
    public String selfName() {
        return self.node();
    }

    public synchronized boolean isConnected() {
        return connection != null && connection.isConnected();
    }

    /**
     * {@code rpc:call(Node, Module, Function, Args)} with a timeout.
     *
     * @return the function's return value
     * @throws NodeException {@code BAD_RPC} for {@code {badrpc, R}}, {@code TIMEOUT}, {@code CONNECTION_LOST},
     *                       or a connect failure when the connection had to be re-established
     */
    public synchronized OtpErlangObject call(String module, String function, Duration timeout,
            OtpErlangObject... args) throws NodeException {
        ensureConnected();
        OtpConnection conn = connection;
        try {
            conn.sendRPC(module, function, new OtpErlangList(args));
        } catch (IOException e) {
            drop();
            throw lost(module, function, e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            OtpErlangObject msg;
            try {
                msg = left <= 0 ? null : conn.receive(left);
            } catch (InterruptedException e) {
                // Jinterface reports an expired wait as an InterruptedException; tell it from a real interrupt.
                if (Thread.currentThread().isInterrupted()) {
                    drop();
                    throw new NodeException(NodeProblem.TIMEOUT, "interrupted while waiting for " + mfa(module, function));
                }
                continue; // the loop re-checks the deadline
            } catch (IOException | OtpErlangExit | OtpAuthException e) {
                drop();
                throw lost(module, function, e);
            }
            if (msg == null) {
                drop();
                throw new NodeException(NodeProblem.TIMEOUT, mfa(module, function) + " on " + target
                        + " gave no answer within " + timeout.toMillis() + " ms");
            }
            if (msg instanceof OtpErlangTuple t && t.arity() == 2 && Terms.isAtom(t.elementAt(0), "rex")) {
                OtpErlangObject reply = t.elementAt(1);
                var bad = Terms.tagged(reply, "badrpc", 2);
                if (bad.isPresent()) {
                    OtpErlangObject reason = bad.get()[1];
                    throw new NodeException(NodeProblem.BAD_RPC,
                            mfa(module, function) + " failed on " + target + ": " + Terms.show(reason, 400),
                            reason, null);
                }
                return reply;
            }
            // Anything else is not ours (nobody else sends to this pid): ignore it and keep waiting.
        }
    }

    /**
     * Evaluates Erlang expressions on the node with {@code erl_eval} (stdlib), for the few things no single
     * exported function does (e.g. checksum a file without shipping it back). Variables in {@code bindings}
     * are bound before evaluation. Returns the value of the last expression.
     */
    public OtpErlangObject eval(String expressions, Map<String, OtpErlangObject> bindings, Duration timeout)
            throws NodeException {
        OtpErlangObject scanned = call("erl_scan", "string", timeout, Terms.charlist(expressions));
        OtpErlangObject[] ok = Terms.tagged(scanned, "ok", 3)
                .orElseThrow(() -> new IllegalArgumentException("cannot scan: " + scanned));
        OtpErlangObject parsed = call("erl_parse", "parse_exprs", timeout, ok[1]);
        OtpErlangObject[] exprs = Terms.tagged(parsed, "ok", 2)
                .orElseThrow(() -> new IllegalArgumentException("cannot parse: " + parsed));
        List<OtpErlangObject> binds = new ArrayList<>();
        bindings.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> binds.add(Terms.tuple(Terms.atom(e.getKey()), e.getValue())));
        OtpErlangObject result = call("erl_eval", "exprs", timeout, exprs[1], Terms.list(binds));
        return Terms.tagged(result, "value", 3)
                .orElseThrow(() -> new IllegalStateException("unexpected erl_eval result: " + result))[1];
    }

    /**
     * Dials again until the node answers or {@code within} has passed; used after the node restarted
     * (e.g. {@code init:restart()} after a failed code_change drops every distribution connection).
     */
    public synchronized void reconnect(Duration within) throws NodeException {
        drop();
        long deadline = System.nanoTime() + within.toNanos();
        NodeException lastFailure;
        do {
            try {
                ensureConnected();
                return;
            } catch (NodeException e) {
                if (e.problem() == NodeProblem.AUTH_FAILED) {
                    throw e;
                }
                lastFailure = e;
            }
            sleep(200);
        } while (System.nanoTime() < deadline);
        throw lastFailure;
    }

    /**
     * Closes the connection and every socket this client made; the client cannot dial again. Nothing else is
     * held: the local {@link OtpSelf} has no listen socket (see {@link TimedTransportFactory}) and was never
     * published to epmd.
     */
    @Override
    public synchronized void close() {
        drop();
        transports.close();
    }

    private void ensureConnected() throws NodeException {
        if (connection != null && connection.isConnected()) {
            return;
        }
        drop();
        // 1. epmd: is the host there, and is the node registered? Jinterface cannot tell these apart.
        Map<String, Integer> names;
        try {
            names = Epmd.names(routes, target.host(), Epmd.DEFAULT_PORT, connectTimeout);
        } catch (IOException e) {
            throw new NodeException(NodeProblem.UNREACHABLE, "node " + target + " unreachable: epmd on "
                    + target.host() + ":" + Epmd.DEFAULT_PORT + " does not answer (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        Integer port = names.get(target.alive());
        if (port == null) {
            throw new NodeException(NodeProblem.NOT_REGISTERED, "node " + target + " unreachable: epmd on "
                    + target.host() + " answers but has no node named '" + target.alive() + "' (registered: "
                    + names.keySet() + ")");
        }
        // 2. dial and handshake, bounded: a peer that accepts but never answers must not hang us.
        transports.resetLastConnectedPort();
        OtpPeer peer = new OtpPeer(target.toString(), transports);
        CompletableFuture<OtpConnection> dial = CompletableFuture.supplyAsync(() -> {
            try {
                return self.connect(peer);
            } catch (IOException | OtpAuthException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        try {
            connection = dial.get(connectTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandon(dial);
            throw new NodeException(NodeProblem.TIMEOUT, "handshake with " + target + " did not finish within "
                    + connectTimeout.toMillis() * 2 + " ms", e);
        } catch (InterruptedException e) {
            abandon(dial);
            Thread.currentThread().interrupt();
            throw new NodeException(NodeProblem.TIMEOUT, "interrupted while connecting to " + target, e);
        } catch (ExecutionException e) {
            throw classifyDialFailure(port, e.getCause());
        }
    }

    /**
     * The node is registered; if the TCP connection to its port was made and the handshake still failed,
     * the node refused us: with OTP that is the cookie ("Invalid challenge reply" in the node's log).
     */
    private NodeException classifyDialFailure(int port, Throwable cause) {
        if (cause instanceof OtpAuthException || transports.lastConnectedPort() == port) {
            return new NodeException(NodeProblem.AUTH_FAILED, "node " + target
                    + " refused the distribution handshake: wrong cookie (it is registered with epmd and its port "
                    + port + " accepts connections)", cause);
        }
        return new NodeException(NodeProblem.UNREACHABLE, "node " + target + " is registered with epmd at port "
                + port + " but cannot be dialed: " + cause.getMessage(), cause);
    }

    /**
     * A dial we stopped waiting for: close its sockets (unblocks a handshake stuck in a read), and should it
     * still complete, close the connection it made.
     */
    private void abandon(CompletableFuture<OtpConnection> dial) {
        transports.abortAll();
        dial.thenAccept(OtpConnection::close);
    }

    private void drop() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private NodeException lost(String module, String function, Exception e) {
        return new NodeException(NodeProblem.CONNECTION_LOST, "connection to " + target + " lost during "
                + mfa(module, function) + ": " + e.getMessage(), e);
    }

    private static String mfa(String module, String function) {
        return module + ":" + function;
    }

    private static String selfName(NodeName target) {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "relup-" + HexFormat.of().formatHex(bytes) + "@" + localHost(target);
    }

    /** A long name needs a host part; loopback when the node is local, else this machine's address. */
    private static String localHost(NodeName target) {
        try {
            if (InetAddress.getByName(target.host()).isLoopbackAddress()) {
                return "127.0.0.1";
            }
            return InetAddress.getLocalHost().getHostAddress();
        } catch (IOException e) {
            return "127.0.0.1";
        }
    }

    private static void sleep(long millis) throws NodeException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeException(NodeProblem.TIMEOUT, "interrupted");
        }
    }
}
