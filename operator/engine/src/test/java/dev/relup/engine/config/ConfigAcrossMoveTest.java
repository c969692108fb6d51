package dev.relup.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.handler.ReleasePackage;
import dev.relup.engine.node.Terms;
import dev.relup.engine.testing.LiveNode;
import dev.relup.engine.testing.Ticker;
import dev.relup.engine.upgrade.NodeMove;
import dev.relup.engine.upgrade.UpgradeReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the operator keeps overrides across a version move: persisted into the to-release's sys.config after
 * unpack_release and before install_release, the install itself applies them (release_handler reads that file),
 * so the env never falls back to the new release's value in between.
 */
class ConfigAcrossMoveTest {

    @TempDir
    Path work;

    @Test
    void overridesPersistedBeforeInstallAreTheEnvOfTheNewVersion() throws Exception {
        ReleasePackage pkg = Ticker.packageFor("0.1.0", "0.2.0", work);
        try (LiveNode node = LiveNode.start("0.1.0", work)) {
            try (ReleaseHandlerClient c = node.client()) {
                Overrides ov = assertInstanceOf(ConfigCheck.Accepted.class,
                        LiveConfig.validate(c, "[{ticker, [{ticker, 1500}]}].")).overrides();
                ConfigApply.apply(c, Overrides.NONE, ov);
                LiveConfig.persist(c, "0.1.0", ov);
                assertEquals(1500, Terms.longValue(node.info(c).get("interval")), "0.1.0 reads the env at each tick");

                c.transfer(pkg);
                c.unpack(pkg);
                // checked against the to-release's applications, then written where install_release reads it
                assertInstanceOf(ConfigCheck.Accepted.class, LiveConfig.validate(c, ov.text(), "0.2.0"));
                LiveConfig.persist(c, "0.2.0", ov);
                c.install("0.2.0");
                c.makePermanent("0.2.0");
                c.copyStartScript("ticker", "0.2.0");
                assertEquals("0.2.0", Terms.text(node.info(c).get("app_vsn")));
                assertEquals(1500, Terms.longValue(node.info(c).get("interval")), "not 0.2.0's own 5000");
            }
            node.stop();
            node.start();
            try (ReleaseHandlerClient c = node.client()) {
                assertEquals("0.2.0", c.runningVsn());
                assertEquals(1500, Terms.longValue(node.info(c).get("interval")), "and after a restart into 0.2.0");
            }
        }
    }

    @Test
    void theEnginesOwnMoveCarriesTheOverridesIntoTheNewReleaseBeforeInstall() throws Exception {
        ReleasePackage pkg = Ticker.packageFor("0.1.0", "0.2.0", work);
        try (LiveNode node = LiveNode.start("0.1.0", work)) {
            try (ReleaseHandlerClient c = node.client()) {
                Overrides ov = assertInstanceOf(ConfigCheck.Accepted.class,
                        LiveConfig.validate(c, "[{ticker, [{ticker, 1500}]}].")).overrides();
                ConfigApply.apply(c, Overrides.NONE, ov);
                LiveConfig.persist(c, "0.1.0", ov);

                UpgradeReport report = NodeMove.toPackage(c, pkg).run();
                assertEquals("0.2.0", report.to());
                assertEquals(ov.text(), LiveConfig.persistedText(c, "0.2.0"), "the canonical text, one line");
                assertEquals(1500, Terms.longValue(node.info(c).get("interval")), "not 0.2.0's own 5000");
                assertEquals(false, LiveConfig.carry(c, "0.2.0"), "nothing to write again");
            }
        }
    }
}
