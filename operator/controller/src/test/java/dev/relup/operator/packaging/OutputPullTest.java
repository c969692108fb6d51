package dev.relup.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.relup.engine.node.NodeRoutes;

/**
 * The HTTP GET of the build output against a server on loopback that answers whatever bytes a test gives it: the
 * server is untrusted, so a body over the cap, longer than its Content-Length or with oversized headers is refused,
 * a copy that broke off is an ordinary (retried) failure, and a server that is not there is told apart.
 */
class OutputPullTest {

    private static final OutputPull.Timeouts FAST = new OutputPull.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(1));

    private ServerSocket server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** A server that reads one request per connection, answers {@code raw}, and closes (unless {@code hang}). */
    private NodeRoutes answering(byte[] raw, boolean hang) throws IOException {
        // the thread keeps its own server: after close() a test may open another, which an earlier thread reading
        // the field would accept on too, answering the new server's clients with the old answer
        ServerSocket own = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server = own;
        Thread t = new Thread(() -> {
            while (!own.isClosed()) {
                try (Socket s = own.accept()) {
                    InputStream in = s.getInputStream();
                    ByteArrayOutputStream req = new ByteArrayOutputStream();
                    while (!req.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                        int b = in.read();
                        if (b < 0) {
                            break;
                        }
                        req.write(b);
                    }
                    requests.add(req.toString(StandardCharsets.ISO_8859_1));
                    if (hang) {
                        Thread.sleep(4000);
                        continue;
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(raw);
                    out.flush();
                } catch (IOException | InterruptedException e) {
                    // closed
                }
            }
        });
        t.setDaemon(true);
        t.start();
        int port = server.getLocalPort();
        return (host, p) -> new NodeRoutes.Route(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), () -> { });
    }

    private static byte[] response(String head, byte[] body) {
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    private static byte[] ok(long contentLength, int bodyBytes) {
        return response("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: " + contentLength + "\r\n\r\n",
                "x".repeat(bodyBytes).getBytes());
    }

    private OutputPull pull(NodeRoutes routes) {
        return new OutputPull(routes, "10.0.0.9", "Job j (pod p, 10.0.0.9:8080)", FAST);
    }

    @Test
    void aBodyOfItsContentLengthWithinTheCapIsCopiedFromAPlainHttp10Get() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputPull.Result r = pull(answering(ok(5, 5), false)).get("/report.json", out, 5);
        assertThat(r).isEqualTo(new OutputPull.Result(true, false, 5));
        assertThat(out.toString()).isEqualTo("xxxxx");
        assertThat(requests).singleElement().asString()
                .startsWith("GET /report.json HTTP/1.0\r\n").contains("Connection: close\r\n");
    }

    @Test
    void aContentLengthOverTheCapIsRefusedBeforeAnyByteOfTheBody() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputPull.Result r = pull(answering(ok(11, 11), false)).get("/p.tar.gz", out, 10);
        assertThat(r.overflowed()).isTrue();
        assertThat(out.size()).isZero();
    }

    @Test
    void aBodyWithoutContentLengthIsReadToTheCapPlusOneAndOverflows() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputPull.Result r = pull(answering(response("HTTP/1.0 200 OK\r\n\r\n", new byte[100_000]), false))
                .get("/p.tar.gz", out, 10);
        assertThat(r.overflowed()).isTrue();
        assertThat(r.bytes()).isEqualTo(11);
        assertThat(out.size()).isEqualTo(10);
    }

    @Test
    void aBodyLongerThanItsContentLengthIsRefused() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> pull(answering(ok(5, 6), false)).get("/report.json", out, 100))
                .isInstanceOf(BuildOutputRefused.class)
                .hasMessage("the build output server of Job j (pod p, 10.0.0.9:8080) sent more of /report.json than its"
                        + " Content-Length of 5 bytes; refused");
        assertThat(out.size()).isLessThanOrEqualTo(5);
    }

    @Test
    void aBodyShorterThanItsContentLengthIsACopyBrokenOffAndTriedAgain() throws IOException {
        assertThatThrownBy(() -> pull(answering(ok(50, 20), false)).get("/p.tar.gz", OutputStream.nullOutputStream(), 100))
                .isInstanceOf(IOException.class).isNotInstanceOf(BuildOutputRefused.class)
                .isNotInstanceOf(BuildOutputUnreachable.class)
                .hasMessageContaining("broke off after 20 of 50 bytes");
    }

    @Test
    void notFoundIsSaidNotThrown() throws IOException {
        OutputPull.Result r = pull(answering(response("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n", new byte[0]),
                false)).get("/rehearsal.json", OutputStream.nullOutputStream(), 100);
        assertThat(r.found()).isFalse();
    }

    @Test
    void endlessHeadersAndChunkedBodiesAreRefused() throws IOException {
        assertThatThrownBy(() -> pull(answering(response("HTTP/1.1 200 OK\r\nX: " + "y".repeat(20_000), new byte[0]),
                false)).get("/report.json", OutputStream.nullOutputStream(), 100))
                .isInstanceOf(BuildOutputRefused.class).hasMessageContaining("bytes of headers");
        close();
        assertThatThrownBy(() -> pull(answering(response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                new byte[0]), false)).get("/report.json", OutputStream.nullOutputStream(), 100))
                .isInstanceOf(BuildOutputRefused.class).hasMessageContaining("Transfer-Encoding chunked");
    }

    @Test
    void aRefusedConnectionIsTheServerNotThere() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        NodeRoutes nowhere = (host, p) -> new NodeRoutes.Route(new InetSocketAddress(InetAddress.getLoopbackAddress(), closed),
                () -> { });
        assertThatThrownBy(() -> pull(nowhere).get("/report.json", OutputStream.nullOutputStream(), 100))
                .isInstanceOf(BuildOutputUnreachable.class)
                .hasMessageStartingWith("cannot connect to the build output server of Job j (pod p, 10.0.0.9:8080):")
                .hasMessageContaining("refused");
    }

    @Test
    void aServerThatAcceptsAndSaysNothingTimesOutAsNotThere() throws IOException {
        NodeRoutes silent = answering(new byte[0], true);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> pull(silent).get("/report.json", OutputStream.nullOutputStream(), 100))
                .isInstanceOf(BuildOutputUnreachable.class)
                .hasMessage("the build output server of Job j (pod p, 10.0.0.9:8080) did not answer GET /report.json within 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aRouteThatCannotOpenIsTheServerNotThereAndTheRouteIsReleasedWithTheConnection() throws IOException {
        NodeRoutes forbidden = (host, p) -> {
            throw new IOException("pods/portforward is forbidden");
        };
        assertThatThrownBy(() -> pull(forbidden).get("/report.json", OutputStream.nullOutputStream(), 100))
                .isInstanceOf(BuildOutputUnreachable.class).hasMessageContaining("pods/portforward is forbidden");
        NodeRoutes open = answering(ok(1, 1), false);
        List<String> released = new CopyOnWriteArrayList<>();
        NodeRoutes tracked = (host, p) -> {
            assertThat(host + ":" + p).isEqualTo("10.0.0.9:" + BuildJob.SERVE_PORT);
            return new NodeRoutes.Route(open.open(host, p).address(), () -> released.add("released"));
        };
        pull(tracked).get("/report.json", OutputStream.nullOutputStream(), 100);
        assertThat(released).containsExactly("released");
    }
}
