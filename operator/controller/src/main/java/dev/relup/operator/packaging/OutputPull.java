package dev.relup.operator.packaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import dev.relup.engine.node.NodeRoutes;

/**
 * Plain HTTP/1.0 GETs of the build Job's output server ({@link BuildJob#SERVE_PORT}), over the route the operator
 * has to the pod ({@code relup.nodes.reach}): one connection per request, {@code Connection: close}, the body read
 * until the server closes. What the server sends is untrusted (the pod ran the user's images): the header block is
 * bounded, a Content-Length over the cap is refused before a body byte is read, a body is never read past the cap
 * plus one byte, and a body longer than its Content-Length is refused.
 */
final class OutputPull {

    /** Status line and headers: busybox httpd sends about 200 bytes. */
    static final int MAX_HEADER_BYTES = 16 * 1024;

    /** Connect timeout, and the longest silence while reading. */
    record Timeouts(Duration connect, Duration read) {
        static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    /**
     * What a GET gave: {@code found} false on a 404 (nothing written); {@code overflowed} when the body (or its
     * Content-Length) is larger than the cap: then at most cap bytes were written and the caller refuses.
     */
    record Result(boolean found, boolean overflowed, long bytes) {
    }

    private final NodeRoutes routes;
    private final String host;
    private final String where;
    private final Timeouts timeouts;

    /** @param where what to call the server in messages, e.g. "Job j (pod p, 10.0.0.5:8642)" */
    OutputPull(NodeRoutes routes, String host, String where, Timeouts timeouts) {
        this.routes = routes;
        this.host = host;
        this.where = where;
        this.timeouts = timeouts;
    }

    /** GET {@code path} into {@code out}, at most {@code max} bytes of it. */
    Result get(String path, OutputStream out, long max) throws IOException {
        NodeRoutes.Route route;
        try {
            route = routes.open(host, BuildJob.SERVE_PORT);
        } catch (IOException | RuntimeException e) {
            throw new BuildOutputUnreachable("no route to the build output server of " + where + ": " + e.getMessage(), e);
        }
        try (Socket s = new Socket(); var release = route.release()) {
            connect(s, route.address());
            s.setSoTimeout((int) timeouts.read().toMillis());
            s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            String head = head(in, path);
            return body(head, in, path, out, max);
        }
    }

    private void connect(Socket s, InetSocketAddress address) throws BuildOutputUnreachable {
        try {
            s.connect(address, (int) timeouts.connect().toMillis());
        } catch (SocketTimeoutException e) {
            throw new BuildOutputUnreachable("connecting to the build output server of " + where + " timed out after "
                    + timeouts.connect().toSeconds() + " s", e);
        } catch (IOException e) {
            throw new BuildOutputUnreachable("cannot connect to the build output server of " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * Status line and headers, up to the empty line (CRLF or, as busybox passes a CGI's own headers on, LF);
     * bounded. Nothing at all: the server is not there.
     */
    private String head(InputStream in, String path) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int lineLength = 0;
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (head.size() == 0) {
                        throw new BuildOutputUnreachable("the build output server of " + where + " closed the connection"
                                + " without an answer to GET " + path, null);
                    }
                    throw new IOException("the build output server of " + where + " closed the connection in the headers of "
                            + path);
                }
                if (head.size() >= MAX_HEADER_BYTES) {
                    throw new BuildOutputRefused("the build output server of " + where + " sent more than "
                            + MAX_HEADER_BYTES + " bytes of headers for " + path + "; refused");
                }
                if (b == '\n') {
                    if (lineLength == 0) {
                        break;
                    }
                    lineLength = 0;
                } else if (b != '\r') {
                    lineLength++;
                }
                head.write(b);
            }
        } catch (SocketTimeoutException e) {
            if (head.size() == 0) {
                throw new BuildOutputUnreachable("the build output server of " + where + " did not answer GET " + path
                        + " within " + timeouts.read().toSeconds() + " s", e);
            }
            throw new IOException("the build output server of " + where + " stopped in the headers of " + path, e);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private Result body(String head, InputStream in, String path, OutputStream out, long max) throws IOException {
        String[] lines = head.replace("\r", "").split("\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new BuildOutputRefused("the build output server of " + where + " did not answer GET " + path
                    + " in HTTP: '" + abbreviate(lines[0]) + "'; refused");
        }
        if (status[1].equals("404")) {
            return new Result(false, false, 0);
        }
        if (!status[1].equals("200")) {
            throw new IOException("the build output server of " + where + " answered GET " + path + " with '"
                    + abbreviate(lines[0]) + "'");
        }
        long declared = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).strip();
            if (name.equals("transfer-encoding")) {
                throw new BuildOutputRefused("the build output server of " + where + " sent " + path + " with"
                        + " Transfer-Encoding " + abbreviate(value) + " to an HTTP/1.0 request; refused");
            }
            if (name.equals("content-length")) {
                try {
                    declared = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    declared = -2;
                }
                if (declared < 0) {
                    throw new BuildOutputRefused("the build output server of " + where + " sent " + path
                            + " with Content-Length '" + abbreviate(value) + "'; refused");
                }
            }
        }
        if (declared > max) {
            return new Result(true, true, 0);
        }
        // one byte more than may come: enough to tell a body too long from one that fits
        long limit = (declared >= 0 ? declared : max) + 1;
        CappedSink sink = new CappedSink(out, declared >= 0 ? declared : max);
        byte[] buf = new byte[64 * 1024];
        long n = 0;
        try {
            while (n < limit) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, limit - n));
                if (r < 0) {
                    break;
                }
                sink.write(buf, 0, r);
                n += r;
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("the build output server of " + where + " stopped sending " + path + " after " + n
                    + " bytes (nothing for " + timeouts.read().toSeconds() + " s)", e);
        }
        if (declared >= 0 && n > declared) {
            throw new BuildOutputRefused("the build output server of " + where + " sent more of " + path
                    + " than its Content-Length of " + declared + " bytes; refused");
        }
        if (declared >= 0 && n < declared) {
            throw new IOException("the copy of " + path + " from " + where + " broke off after " + n + " of " + declared
                    + " bytes");
        }
        return new Result(true, sink.overflowed(), n);
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
