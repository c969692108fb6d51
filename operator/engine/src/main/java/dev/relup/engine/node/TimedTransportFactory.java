package dev.relup.engine.node;

import com.ericsson.otp.erlang.OtpServerTransport;
import com.ericsson.otp.erlang.OtpSocketTransport;
import com.ericsson.otp.erlang.OtpTransport;
import com.ericsson.otp.erlang.OtpTransportFactory;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transports of one {@link RemoteNode}.
 *
 * <ul>
 *   <li>Every connection goes where {@link NodeRoutes} says (the host itself, or a tunnel's local end).</li>
 *   <li>Sockets with a connect timeout. Jinterface's default factory uses {@code new Socket(host, port)}, which
 *       waits for the OS (minutes) when a pod IP has gone away.</li>
 *   <li>Every socket it made and that is not closed yet is tracked: {@link #abortAll()} unblocks a handshake stuck
 *       in a read, {@link #close()} releases everything, and a factory once closed makes no more sockets (a dial
 *       abandoned after its timeout cannot open one later).</li>
 *   <li>No listen socket: {@link com.ericsson.otp.erlang.OtpSelf} asks for one in its constructor, although the
 *       client only dials out and never accepts (nor registers with epmd). Jinterface's default would bind a
 *       {@code ServerSocket} on every interface of the operator, never accepted on and never closed (OtpSelf has
 *       no close): a leak per client, and an open port on the operator's pod. {@link #createServerTransport}
 *       returns a transport that binds nothing instead; {@code OtpSelf.port()} is then 0, which only matters to
 *       {@code publishPort}/{@code accept}, neither of which is used.</li>
 * </ul>
 */
final class TimedTransportFactory implements OtpTransportFactory, AutoCloseable {

    private final int connectMillis;
    private final NodeRoutes routes;
    /** Sockets not closed yet, with what their route holds (a tunnel) to release with them. */
    private final Map<Socket, Closeable> open = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile int lastConnectedPort = -1;

    TimedTransportFactory(Duration connectTimeout, NodeRoutes routes) {
        this.connectMillis = (int) Math.max(1, connectTimeout.toMillis());
        this.routes = routes;
    }

    @Override
    public OtpTransport createTransport(String host, int port) throws IOException {
        return connect(host, port);
    }

    @Override
    public OtpTransport createTransport(InetAddress addr, int port) throws IOException {
        return connect(addr.getHostAddress(), port);
    }

    private OtpTransport connect(String host, int port) throws IOException {
        if (closed) {
            throw new IOException("client closed");
        }
        NodeRoutes.Route route = routes.open(host, port);
        Socket socket = new Socket();
        open.put(socket, route.release());
        try {
            socket.setTcpNoDelay(true);
            socket.connect(route.address(), connectMillis);
            if (closed) {
                throw new IOException("client closed");
            }
        } catch (IOException | RuntimeException e) {
            forget(socket);
            throw e;
        }
        lastConnectedPort = port;
        return new OtpSocketTransport(socket) {
            @Override
            public void close() throws IOException {
                forget(socket);
            }
        };
    }

    /** The port of the last TCP connection that succeeded: tells a failed handshake from a refused dial. */
    int lastConnectedPort() {
        return lastConnectedPort;
    }

    void resetLastConnectedPort() {
        lastConnectedPort = -1;
    }

    /** Sockets made by this factory and not closed yet (tests). */
    int openSockets() {
        return open.size();
    }

    /** Closes every socket still open; unblocks a handshake stuck in a read. The factory stays usable. */
    void abortAll() {
        for (Socket s : open.keySet()) {
            forget(s);
        }
    }

    /** Closes every socket and refuses to make new ones. */
    @Override
    public void close() {
        closed = true;
        abortAll();
    }

    private void forget(Socket s) {
        Closeable route = open.remove(s);
        try (Closeable r = route == null ? () -> { } : route) {
            s.close();
        } catch (IOException ignored) {
            // closing is best effort: the caller already gave up on this socket
        }
    }

    @Override
    public OtpServerTransport createServerTransport(int port) {
        return NO_LISTEN;
    }

    /** A server transport that binds nothing and accepts nothing. */
    private static final OtpServerTransport NO_LISTEN = new OtpServerTransport() {
        @Override
        public int getLocalPort() {
            return 0;
        }

        @Override
        public OtpTransport accept() throws IOException {
            throw new IOException("this client does not accept distribution connections");
        }

        @Override
        public void close() {
        }
    };
}
