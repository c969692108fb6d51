package dev.relup.engine.handler;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relup.engine.node.Cookie;
import dev.relup.engine.node.NodeName;
import dev.relup.engine.testing.LiveNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A wrong cookie and an unreachable node each give their own failure, in seconds. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionFailureTest {

    /** A sanity bound, not a benchmark: "seconds, not minutes". */
    static final Duration BOUND = Duration.ofSeconds(10);

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
    void wrongCookieIsAnAuthFailure() {
        Failure f = failureOf(node.name(), "not-" + node.cookie());
        Failure.AuthFailed auth = assertInstanceOf(Failure.AuthFailed.class, f, f.message());
        assertTrue(auth.message().contains("cookie"), auth.message());
        assertTrue(!auth.message().contains(node.cookie()), "the cookie never appears in a message");
    }

    @Test
    void rightCookieConnects() throws Exception {
        try (ReleaseHandlerClient c = node.client()) {
            assertTrue(c.whichReleases().running().isPresent());
        }
    }

    @Test
    void aSlowCallTimesOutAndTheNextCallWorks() throws Exception {
        Timeouts quick = new Timeouts(Duration.ofSeconds(3), Duration.ofMillis(300), Duration.ofSeconds(60),
                Duration.ofSeconds(90), Duration.ofSeconds(30), Duration.ofSeconds(30));
        try (ReleaseHandlerClient c = ReleaseHandlerClient.connect(node.name(), Cookie.of(node.cookie()), quick)) {
            long t0 = System.nanoTime();
            FailureException e = assertThrows(FailureException.class,
                    () -> c.rpc("timer", "sleep", dev.relup.engine.node.Terms.integer(3000)));
            long took = (System.nanoTime() - t0) / 1_000_000;
            assertInstanceOf(Failure.Timeout.class, e.failure(), e.getMessage());
            assertTrue(took >= 290 && took < 2000, "timed out after " + took + " ms");
            // the late reply must not be taken for the answer to the next call
            assertTrue(c.whichReleases().running().isPresent());
            assertTrue(dev.relup.engine.node.Terms.isAtom(c.rpc("erlang", "node"), node.name().toString()));
        }
    }

    @Test
    void unregisteredNameIsUnreachable() {
        Failure f = failureOf(new NodeName("nobody" + System.nanoTime(), "127.0.0.1"), node.cookie());
        assertInstanceOf(Failure.NodeUnreachable.class, f, f.message());
        assertTrue(f.message().contains("no node named"), f.message());
    }

    @Test
    void unresolvableHostIsUnreachable() {
        Failure f = failureOf(new NodeName("ticker", "no-such-host.invalid"), node.cookie());
        assertInstanceOf(Failure.NodeUnreachable.class, f, f.message());
        assertTrue(f.message().contains("epmd"), f.message());
    }

    @Test
    void stoppedNodeIsUnreachable() {
        LiveNode other = LiveNode.start("0.1.0", work);
        other.stop();
        Failure f = failureOf(other.name(), other.cookie());
        assertInstanceOf(Failure.NodeUnreachable.class, f, f.message());
    }

    private static Failure failureOf(NodeName name, String cookie) {
        long t0 = System.nanoTime();
        FailureException e = assertThrows(FailureException.class,
                () -> ReleaseHandlerClient.connect(name, Cookie.of(cookie), Timeouts.defaults()).close());
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(took.compareTo(BOUND) < 0, e.failure().kind() + " took " + took);
        System.out.printf("%s detected in %d ms: %s%n", e.failure().kind(), took.toMillis(), e.getMessage());
        return e.failure();
    }
}
