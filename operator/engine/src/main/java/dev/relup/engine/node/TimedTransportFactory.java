package dev.relup.engine.node;

import com.ericsson.otp.erlang.OtpServerSocketTransport;
import com.ericsson.otp.erlang.OtpServerTransport;
import com.ericsson.otp.erlang.OtpSocketTransport;
import com.ericsson.otp.erlang.OtpTransport;
import com.ericsson.otp.erlang.OtpTransportFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sockets with a connect timeout. Jinterface's default factory uses {@code new Socket(host, port)}, which
 * waits for the OS (minutes) when a pod IP has gone away. It also remembers the last socket so that a
 * handshake that hangs can be aborted by closing it.
 */
final class TimedTransportFactory implements OtpTransportFactory {

    private final int connectMillis;
    private final AtomicReference<Socket> last = new AtomicReference<>();
    private volatile int lastConnectedPort = -1;

    TimedTransportFactory(Duration connectTimeout) {
        this.connectMillis = (int) Math.max(1, connectTimeout.toMillis());
    }

    @Override
    public OtpTransport createTransport(String host, int port) throws IOException {
        return connect(new InetSocketAddress(host, port));
    }

    @Override
    public OtpTransport createTransport(InetAddress addr, int port) throws IOException {
        return connect(new InetSocketAddress(addr, port));
    }

    private OtpTransport connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, connectMillis);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        last.set(socket);
        lastConnectedPort = address.getPort();
        return new OtpSocketTransport(socket);
    }

    /** The port of the last TCP connection that succeeded: tells a failed handshake from a refused dial. */
    int lastConnectedPort() {
        return lastConnectedPort;
    }

    void resetLastConnectedPort() {
        lastConnectedPort = -1;
    }

    /** Closes the most recent socket; unblocks a handshake stuck in a read. */
    void abortLast() {
        Socket s = last.getAndSet(null);
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing is best effort: the caller already gave up on this socket
            }
        }
    }

    @Override
    public OtpServerTransport createServerTransport(int port) throws IOException {
        // OtpSelf opens a listen socket it never accepts on (the client only dials out).
        return new OtpServerSocketTransport(port);
    }
}
