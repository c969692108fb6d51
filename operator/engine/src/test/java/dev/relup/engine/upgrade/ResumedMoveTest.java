package dev.relup.engine.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.handler.ReleasePackage;
import dev.relup.engine.node.Terms;
import dev.relup.engine.testing.LiveNode;
import dev.relup.engine.testing.Ticker;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mover that dies right after make_permanent (the operator killed between two steps) leaves a node that is
 * permanent on the target with the old start script; a new mover must find the copy still to do, else the next
 * container restart boots the old version.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResumedMoveTest {

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
