package dev.relup.engine.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relup.engine.node.Cookie;
import dev.relup.engine.node.Epmd;
import dev.relup.engine.node.NodeRoutes;
import dev.relup.engine.testing.LiveNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client given {@link NodeRoutes} makes every TCP connection to the node (epmd, then the distribution port)
 * over them, and releases each route with its connection: what lets an operator or a test outside the cluster
 * reach pods through a tunnel. The tunnel here is a relay on loopback that records what it was asked for.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeRoutesTest {

    @TempDir
    static Path work;
    LiveNode node;

    @BeforeAll
    void start() {
        node = LiveNode.start("0.1.0", work);
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void everyConnectionGoesOverTheRoutesAndIsReleasedWithIt() throws Exception {
        List<Integer> asked = new CopyOnWriteArrayList<>();
        AtomicInteger released = new AtomicInteger();
        List<Relay> relays = new CopyOnWriteArrayList<>();
        NodeRoutes tunnel = (host, port) -> {
            asked.add(port);
            Relay r = new Relay(new InetSocketAddress(host, port));
            relays.add(r);
            return new NodeRoutes.Route(r.local(), () -> {
                released.incrementAndGet();
                r.close();
            });
        };
        int distPort = Epmd.names(node.name().host(), Epmd.DEFAULT_PORT, Duration.ofSeconds(2)).get(node.name().alive());
        try (ReleaseHandlerClient c = ReleaseHandlerClient.connect(node.name(), Cookie.of(node.cookie()),
                Timeouts.defaults(), tunnel)) {
            assertEquals("0.1.0", c.whichReleases().running().orElseThrow().vsn());
            assertEquals(List.of(Epmd.DEFAULT_PORT, Epmd.DEFAULT_PORT, distPort), asked,
                    "epmd NAMES (ours), epmd PORT2 (Jinterface's), then the distribution port, all over the routes");
            assertTrue(relays.get(2).carried() > 0, "the distribution traffic went through the relay");
        }
        assertEquals(asked.size(), released.get(), "every route released with its connection");
    }

    /** Accepts one connection on loopback and pipes it to {@code target}. */
    static final class Relay implements AutoCloseable {
        private final ServerSocket server;
        private final AtomicInteger carried = new AtomicInteger();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        Relay(InetSocketAddress target) throws IOException {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            daemon(() -> {
                try {
                    Socket in = server.accept();
                    Socket out = new Socket(target.getAddress(), target.getPort());
                    sockets.add(in);
                    sockets.add(out);
                    daemon(() -> pipe(in, out));
                    pipe(out, in);
                } catch (IOException ignored) {
                    // closed
                }
            });
        }

        private static void daemon(Runnable r) {
            Thread t = new Thread(r, "relay");
            t.setDaemon(true);
            t.start();
        }

        InetSocketAddress local() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        int carried() {
            return carried.get();
        }

        private void pipe(Socket from, Socket to) {
            try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                byte[] buf = new byte[8192];
                for (int n; (n = i.read(buf)) > 0; ) {
                    carried.addAndGet(n);
                    o.write(buf, 0, n);
                    o.flush();
                }
            } catch (IOException ignored) {
                // one side closed
            } finally {
                close();
            }
        }

        @Override
        public void close() {
            try {
                server.close();
                for (Socket s : sockets) {
                    s.close();
                }
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
