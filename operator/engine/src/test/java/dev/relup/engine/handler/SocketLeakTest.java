package dev.relup.engine.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relup.engine.node.Cookie;
import dev.relup.engine.node.NodeName;
import dev.relup.engine.testing.LiveNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients opened and closed many times, connects that succeed and connects that fail, leave no file
 * descriptor behind (counted in /proc/self/fd), and a client never listens on a socket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SocketLeakTest {

    static final int ROUNDS = 40;

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
    void openAndCloseLeavesNoDescriptor() throws Exception {
        // warm up: class loading, the common pool, jar files opened lazily
        roundTrip();
        failedConnect(Cookie.of("not-" + node.cookie()));
        settle();
        long before = openFds();
        for (int i = 0; i < ROUNDS; i++) {
            roundTrip();
            failedConnect(Cookie.of("not-" + node.cookie()));                         // handshake refused
            failedConnect(new NodeName("nobody" + i, "127.0.0.1"), Cookie.of(node.cookie())); // not registered
        }
        settle();
        long after = openFds();
        assertTrue(after - before <= 2, "open file descriptors grew from " + before + " to " + after + " over "
                + ROUNDS + " rounds of 3 connects");
    }

    @Test
    void aClientNeverListens() throws Exception {
        try (ReleaseHandlerClient c = node.client()) {
            assertTrue(c.whichReleases().running().isPresent());
            assertEquals(List.of(), ownListeningSockets(), "sockets this process listens on while a client is open");
        }
    }

    private void roundTrip() throws FailureException {
        try (ReleaseHandlerClient c = node.client()) {
            assertTrue(c.whichReleases().running().isPresent());
        }
    }

    private void failedConnect(Cookie cookie) {
        failedConnect(node.name(), cookie);
    }

    private static void failedConnect(NodeName name, Cookie cookie) {
        assertThrows(FailureException.class, () -> ReleaseHandlerClient.connect(name, cookie, Timeouts.defaults()).close());
    }

    /**
     * Closed sockets may take a moment to go (reader threads end asynchronously). No System.gc(): a socket only
     * a garbage collection would close is a leak in a process whose heap is quiet.
     */
    private static void settle() throws InterruptedException {
        Thread.sleep(500);
    }

    static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** Inodes of the sockets this process holds. */
    static Set<String> socketInodes() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : s.toList()) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        inodes.add(link.substring(8, link.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        return inodes;
    }

    /** Lines of /proc/net/tcp{,6} in state LISTEN (0A) whose socket belongs to this process. */
    static List<String> ownListeningSockets() throws IOException {
        Set<String> mine = socketInodes();
        List<String> out = new java.util.ArrayList<>();
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).stream().skip(1).toList()) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && "0A".equals(f[3]) && mine.contains(f[9])) {
                    out.add(table + ": " + line.trim());
                }
            }
        }
        return out;
    }
}
