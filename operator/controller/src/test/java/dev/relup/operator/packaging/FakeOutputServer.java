package dev.relup.operator.packaging;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

import dev.relup.engine.node.NodeRoutes;
import dev.relup.operator.node.PodRoutes;

/**
 * A build Job's output server on loopback, as busybox httpd serves it: files by path, 404 otherwise, and
 * {@link BuildJob#DONE_PATH}. {@link #routes()} sends every pod's port there and notes what was dialed.
 */
public final class FakeOutputServer implements AutoCloseable {

    public final Map<String, byte[]> files = new ConcurrentHashMap<>();
    /** Paths asked, in order. */
    public final List<String> requests = new CopyOnWriteArrayList<>();
    /** "namespace/pod host:port" of each route opened. */
    public final List<String> dialed = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    public FakeOutputServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            byte[] body = path.equals(BuildJob.DONE_PATH) ? "done\n".getBytes() : files.get(path);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public PodRoutes routes() {
        return (namespace, pod) -> (host, port) -> {
            dialed.add(namespace + "/" + pod + " " + host + ":" + port);
            return new NodeRoutes.Route(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()), () -> { });
        };
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
