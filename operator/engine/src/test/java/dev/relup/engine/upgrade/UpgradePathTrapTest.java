package dev.relup.engine.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relup.engine.handler.Failure;
import dev.relup.engine.handler.FailureException;
import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.handler.ReleasePackage;
import dev.relup.engine.handler.Releases;
import dev.relup.engine.node.Terms;
import dev.relup.engine.testing.LiveNode;
import dev.relup.engine.testing.Ticker;
import dev.relup.engine.testing.TickerAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's trap: after a downgrade to 0.1.0, a 0.3.0 package built from 0.2.0 has no path. It must be
 * refused before the node is touched (nothing written under releases/); 0.1.0 -> 0.2.0 -> 0.3.0 works.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpgradePathTrapTest {

    @TempDir
    static Path work;
    LiveNode node;
    ReleasePackage to020;
    ReleasePackage to030;

    @BeforeAll
    void start() throws Exception {
        to020 = Ticker.packageFor("0.1.0", "0.2.0", work);
        to030 = Ticker.packageFor("0.2.0", "0.3.0", work);
        node = LiveNode.start("0.1.0", work);
        TickerAssertions.upgradeTo020(node, to020);
        TickerAssertions.downgradeTo010(node);
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void refuses030From010BeforeTouchingTheNode() throws Exception {
        try (ReleaseHandlerClient c = node.client()) {
            Releases before = c.whichReleases();
            FailureException e = assertThrows(FailureException.class, () -> NodeMove.toPackage(c, to030).run());
            Failure.NoUpgradePath f = assertInstanceOf(Failure.NoUpgradePath.class, e.failure());
            assertEquals("0.1.0", f.from());
            assertEquals("0.3.0", f.to());
            assertTrue(e.getMessage().contains("no upgrade path"), e.getMessage());
            assertTrue(e.getMessage().contains("[0.2.0]"), "says where 0.3.0 upgrades from: " + e.getMessage());
            assertEquals(before, c.whichReleases(), "release_handler state unchanged");
            assertFalse(Files.exists(node.root().resolve("releases/0.3.0")), "nothing transferred");
            assertEquals("0.1.0", Terms.text(node.info(c).get("app_vsn")));
        }
    }

    @Test
    @Order(2)
    void getsThereInTwoHops() throws Exception {
        try (ReleaseHandlerClient c = node.client()) {
            UpgradeReport first = NodeMove.toPackage(c, to020).run();
            // 0.2.0 is still on the node (old): no transfer, no unpack
            assertFalse(first.steps().stream().anyMatch(s -> s.step() == Step.TRANSFER || s.step() == Step.UNPACK),
                    "0.2.0 was still unpacked: " + first.steps());
            assertEquals("0.2.0", first.to());
            Object pid = node.info(c).get("pid");
            UpgradeReport second = NodeMove.toPackage(c, to030).run();
            assertEquals("0.2.0", second.from());
            assertEquals("0.3.0", second.to());
            var info = node.info(c);
            assertEquals("0.3.0", Terms.text(info.get("app_vsn")));
            assertEquals(500, Terms.intValue(info.get("interval")), "0.3.0 hard-codes 500 ms");
            assertEquals(pid, info.get("pid"), "same gen_server process across both hops");
            assertTrue(c.startScriptIs("ticker", "0.3.0"));
        }
    }
}
