package dev.relup.engine.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relup.engine.handler.Failure;
import dev.relup.engine.handler.FailureException;
import dev.relup.engine.handler.Incarnation;
import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.handler.ReleasePackage;
import dev.relup.engine.node.Terms;
import dev.relup.engine.testing.LiveNode;
import dev.relup.engine.testing.Ticker;
import dev.relup.engine.testing.TickerAssertions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ticker 0.9.0's code_change crashes: the failure says so, and that the node restarted into 0.1.0. */
class BrokenCodeChangeTest {

    @TempDir
    Path work;

    @Test
    void reportsCodeChangeFailedAndTheRestart() throws Exception {
        ReleasePackage broken = Ticker.packageFor("0.1.0", "0.9.0", work);
        try (LiveNode node = LiveNode.start("0.1.0", work)) {
            Incarnation before;
            Object gsPid;
            try (ReleaseHandlerClient c = node.client()) {
                before = c.incarnation();
                gsPid = TickerAssertions.ticked(node, c, 1).get("pid");
            }
            try (ReleaseHandlerClient c = node.client()) {
                long t0 = System.nanoTime();
                FailureException e = assertThrows(FailureException.class, () -> NodeMove.toPackage(c, broken).run());
                long took = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("%s (restart seen) after %d ms of upgrade: %s%n", e.failure().kind(), took,
                        e.getMessage());
                assertTrue(took < 30_000, "took " + took + " ms");
                Failure.CodeChangeFailed f = assertInstanceOf(Failure.CodeChangeFailed.class, e.failure(),
                        e.getMessage());
                assertEquals("ticker_server", f.module());
                assertTrue(f.reason().contains("broken_on_purpose"), f.reason());
                assertTrue(f.nodeRestarted(), "the client saw the node restart");
                assertEquals("0.1.0", f.runningVsn());
                assertTrue(e.getMessage().contains("code_change failed"), e.getMessage());
                assertTrue(e.getMessage().contains("restarted"), e.getMessage());

                // independently: same OS process, new boot, old release, a fresh ticker
                Incarnation after = c.incarnation();
                assertTrue(after.restartedInPlaceSince(before), before + " -> " + after);
                assertEquals("0.1.0", c.runningVsn());
                var info = TickerAssertions.ticked(node, c, 0);
                assertEquals("0.1.0", Terms.text(info.get("app_vsn")));
                assertNotEquals(gsPid, info.get("pid"), "the restart started a new ticker_server");
                TickerAssertions.assertState(c, "0.1.0", dev.relup.engine.handler.ReleaseState.PERMANENT);
                assertTrue(c.startScriptIs("ticker", "0.1.0"), "bin/ticker untouched");
            }
        }
    }
}
