package dev.relup.engine.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relup.engine.build.BuildReport;
import dev.relup.engine.handler.ReleasePackage;
import dev.relup.engine.testing.LiveNode;
import dev.relup.engine.testing.Ticker;
import dev.relup.engine.testing.TickerAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appup the builder generates for ticker 0.1.0 -> 0.2.0 must behave like the hand-written fixture
 * (samples/ticker/appups/): the same upgrade and downgrade assertions run on a package made each way.
 * For the hand-written one, the fixture is put into a copy of the 0.2.0 release as
 * lib/ticker-0.2.0/ebin/ticker.appup, which the builder then uses instead of generating one.
 */
class AppupEquivalenceTest {

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0} appup")
    @ValueSource(strings = {"generated", "hand-written"})
    void upgradesAndDowngradesAlike(String appup) throws Exception {
        Path toRoot = Ticker.unpacked("0.2.0");
        if (appup.equals("hand-written")) {
            toRoot = work.resolve("to-0.2.0");
            Process cp = new ProcessBuilder("cp", "-a", Ticker.unpacked("0.2.0").toString(), toRoot.toString())
                    .inheritIO().start();
            assertEquals(0, cp.waitFor());
            Path fixture = Ticker.repo().resolve("samples/ticker/appups/ticker-0.1.0-0.2.0.appup");
            assertTrue(Files.isRegularFile(fixture), "fixture missing: " + fixture);
            Files.copy(fixture, toRoot.resolve("lib/ticker-0.2.0/ebin/ticker.appup"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        BuildReport report = Ticker.build(Ticker.unpacked("0.1.0"), toRoot, work.resolve("out"));
        assertTrue(report.hot(), "builder says hot: " + report.reasons());
        ReleasePackage pkg = ReleasePackage.read(Path.of(report.packagePath()));
        byte[] shipped = pkg.member("lib/ticker-0.2.0/ebin/ticker.appup").orElseThrow();
        byte[] fixture = Files.readAllBytes(Ticker.repo().resolve("samples/ticker/appups/ticker-0.1.0-0.2.0.appup"));
        // proves which appup the package carries: the fixture itself, or one the builder wrote
        assertEquals(appup.equals("hand-written"), Arrays.equals(fixture, shipped), "appup in the package");
        try (LiveNode node = LiveNode.start("0.1.0", work)) {
            TickerAssertions.upgradeTo020(node, pkg);
            TickerAssertions.downgradeTo010(node);
        }
    }
}
