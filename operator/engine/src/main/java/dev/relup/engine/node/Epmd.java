package dev.relup.engine.node;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal epmd client (NAMES request) with real timeouts. Jinterface's own epmd lookup has no connect
 * timeout, and it cannot tell "epmd down" from "name not registered"; both matter for a clear error.
 */
public final class Epmd {

    public static final int DEFAULT_PORT = 4369;
    private static final byte NAMES_REQ = 110;
    private static final Pattern LINE = Pattern.compile("name (\\S+) at port (\\d+)");

    private Epmd() {
    }

    /**
     * The names registered with epmd on {@code host}, with their distribution ports.
     *
     * @throws IOException when epmd cannot be reached within {@code timeout}
     */
    public static Map<String, Integer> names(String host, int epmdPort, Duration timeout) throws IOException {
        return names(NodeRoutes.DIRECT, host, epmdPort, timeout);
    }

    /** {@link #names(String, int, Duration)} over {@code routes}. */
    public static Map<String, Integer> names(NodeRoutes routes, String host, int epmdPort, Duration timeout)
            throws IOException {
        int millis = (int) Math.max(1, timeout.toMillis());
        NodeRoutes.Route route = routes.open(host, epmdPort);
        try (Closeable release = route.release(); Socket socket = new Socket()) {
            socket.connect(route.address(), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0, 1, NAMES_REQ});
            out.flush();
            InputStream in = socket.getInputStream();
            new DataInputStream(in).readInt(); // epmd's own port number
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            in.transferTo(text);
            Map<String, Integer> names = new LinkedHashMap<>();
            Matcher m = LINE.matcher(text.toString(StandardCharsets.ISO_8859_1));
            while (m.find()) {
                names.put(m.group(1), Integer.parseInt(m.group(2)));
            }
            return names;
        }
    }
}
