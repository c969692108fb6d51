package dev.relup.engine.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.relup.engine.testing.LiveNode;

/** The health function runs on a real ticker node: what passes, what fails and how the answer reads. */
class HealthCheckTest {

    @TempDir
    Path work;

    @Test
    void okAndTruePassAnythingElseFailsWithTheAnswer() throws Exception {
        Duration t = Duration.ofSeconds(5);
        try (LiveNode node = LiveNode.start("0.1.0", work); ReleaseHandlerClient c = node.client()) {
            HealthCheck.Verdict alive = HealthCheck.run(c, "erlang", "is_alive", "[]", t);
            assertTrue(alive.passed(), alive.answer());
            assertEquals("true", alive.answer());
            assertEquals(c.incarnation(), alive.beam());

            HealthCheck.Verdict ok = HealthCheck.run(c, "application", "ensure_started", "[ticker]", t);
            assertTrue(ok.passed(), ok.answer());

            HealthCheck.Verdict other = HealthCheck.run(c, "lists", "reverse", " [[1, 2, {x, <<\"y\">>}]] ", t);
            assertFalse(other.passed());
            assertEquals("[{x,<<\"y\">>},2,1]", other.answer());

            HealthCheck.Verdict crash = HealthCheck.run(c, "erlang", "error", "[{not_ready, db}]", t);
            assertFalse(crash.passed());
            assertEquals("crashed: error:{not_ready,db}", crash.answer());

            HealthCheck.Verdict undef = HealthCheck.run(c, "no_such_module", "check", "[]", t);
            assertFalse(undef.passed());
            assertEquals("crashed: error:undef", undef.answer());

            HealthCheck.Verdict badArgs = HealthCheck.run(c, "erlang", "is_alive", "[1,", t);
            assertFalse(badArgs.passed());
            assertEquals("args are not an Erlang list: [1,", badArgs.answer());

            HealthCheck.Verdict slow = HealthCheck.run(c, "timer", "sleep", "[3000]", Duration.ofSeconds(1));
            assertFalse(slow.passed());
            assertEquals("no answer within 1 s", slow.answer());
            assertTrue(slow.millis() >= 1000 && slow.millis() < 3000, slow.millis() + " ms");
        }
    }
}
