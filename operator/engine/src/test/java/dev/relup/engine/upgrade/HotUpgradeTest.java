package dev.relup.engine.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.handler.ReleasePackage;
import dev.relup.engine.node.Terms;
import dev.relup.engine.testing.LiveNode;
import dev.relup.engine.testing.Ticker;
import dev.relup.engine.testing.TickerAssertions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real node taken 0.1.0 -> 0.2.0 -> (restart) -> 0.1.0 -> (restart), hot, in order; then 0.2.0 again by a mover
 * that stops right after make_permanent (an operator killed between two steps) and one that resumes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HotUpgradeTest {

    @TempDir
    static Path work;
    LiveNode node;
    ReleasePackage pkg;

    @BeforeAll
    void start() {
        pkg = Ticker.packageFor("0.1.0", "0.2.0", work);
        node = LiveNode.start("0.1.0", work);
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void upgradesHotFrom010To020() throws Exception {
        UpgradeReport report = TickerAssertions.upgradeTo020(node, pkg);
        List<Step> steps = report.steps().stream().map(StepTiming::step).toList();
        assertEquals(List.of(Step.CHECK_PATH, Step.TRANSFER, Step.CHECK_PATH, Step.UNPACK, Step.CHECK_PATH,
                Step.INSTALL, Step.MAKE_PERMANENT, Step.COPY_START_SCRIPT), steps);
    }

    @Test
    @Order(2)
    void isIdempotent() throws Exception {
        try (ReleaseHandlerClient c = node.client()) {
            NodeMove again = NodeMove.toPackage(c, pkg);
            assertEquals(Step.DONE, again.next());
            assertTrue(again.run().steps().isEmpty(), "nothing to do the second time");
        }
    }

    @Test
    @Order(3)
    void survivesARestartAt020() throws Exception {
        node.stop();
        node.start();
        try (ReleaseHandlerClient c = node.client()) {
            assertEquals("0.2.0", c.runningVsn());
            assertEquals("0.2.0", Terms.text(node.info(c).get("app_vsn")), "bin/ticker booted 0.2.0");
        }
    }

    @Test
    @Order(4)
    void downgradesHotTo010() throws Exception {
        UpgradeReport report = TickerAssertions.downgradeTo010(node);
        assertEquals(List.of(Step.CHECK_PATH, Step.INSTALL, Step.MAKE_PERMANENT, Step.COPY_START_SCRIPT),
                report.steps().stream().map(StepTiming::step).toList());
    }

    @Test
    @Order(5)
    void survivesARestartAt010() throws Exception {
        node.stop();
        node.start();
        try (ReleaseHandlerClient c = node.client()) {
            assertEquals("0.1.0", c.runningVsn());
            assertEquals("0.1.0", Terms.text(node.info(c).get("app_vsn")));
        }
    }

    /**
     * A mover that dies right after make_permanent leaves the node permanent on the target with the old start
     * script; a new mover must find the copy still to do, else the next restart boots the old version.
     */
    @Test
    @Order(6)
    void aMoveStoppedAfterMakePermanentIsResumedWithTheStartScriptCopy() throws Exception {
        try (ReleaseHandlerClient first = node.client()) {
            assertTrue(first.started(), "init:get_status() is started once the boot script ran");
            NodeMove move = NodeMove.toPackage(first, pkg);
            for (Step step = move.next(); step != Step.COPY_START_SCRIPT; step = move.next()) {
                move.perform(step);
            }
            assertFalse(first.startScriptIs("ticker", "0.2.0"), "the first mover stops before the copy");
        }
        try (ReleaseHandlerClient second = node.client()) {
            UpgradeReport resumed = NodeMove.toPackage(second, pkg).run();
            assertEquals(List.of(Step.COPY_START_SCRIPT), resumed.steps().stream().map(StepTiming::step).toList(),
                    "only the copy was left: no second install");
        }
        node.stop();
        node.start();
        try (ReleaseHandlerClient c = node.client()) {
            assertEquals("0.2.0", Terms.text(node.info(c).get("app_vsn")), "the restarted BEAM boots 0.2.0");
        }
    }
}
