package dev.relup.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relup.engine.handler.FailureException;
import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.node.Terms;
import dev.relup.engine.testing.LiveNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live configuration on one real ticker 0.2.0 node (env key {@code ticker}, default 5000 from the .app file; its
 * {@code ticker_app:config_change/3} pushes the interval to the server): in order, rejections, a live change, the
 * return to the base value, persistence across a stop/start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveConfigTest {

    static final String INTERVAL_1500 = "[{ticker, [{ticker, 1500}]}].";

    @TempDir
    static Path work;
    LiveNode node;

    @BeforeAll
    void start() {
        node = LiveNode.start("0.2.0", work);
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void rejectsBadTextWrongShapeAndUnknownAppsAndChangesNothing() throws Exception {
        try (ReleaseHandlerClient c = node.client()) {
            String envBefore = env(c);
            assertRejected(c, "[{ticker, [{ticker 1500}]}].", "does not parse: line 1: syntax error before: 1500");
            assertRejected(c, "[{ticker, [{ticker, 1500}]}.\n{x", "does not parse: line 1: syntax error before: '.'");
            assertRejected(c, "broken", "is not a list of {App, [{Key, Value}]}: it is broken");
            assertRejected(c, "[{ticker, [{ticker, 1500}]}, {ticker, 5}].",
                    "is not a list of {App, [{Key, Value}]}: element 2 (ticker): its settings 5 are not a list of {Key, Value}");
            assertRejected(c, "[{ticker, [interval]}].",
                    "is not a list of {App, [{Key, Value}]}: element 1 (ticker): interval is not a {Key, Value} pair with an atom key");
            assertRejected(c, "[\"/etc/extra.config\"].",
                    "is not a list of {App, [{Key, Value}]}: element 1, \"/etc/extra.config\", is a config file name: only {App, [{Key, Value}]} overrides are accepted");
            assertRejected(c, "[{ticker, [{ticker, 1}]}, {ticker, [{ticker, 2}]}].", "application ticker is listed twice");
            assertRejected(c, "[{tikker, [{ticker, 1500}]}].",
                    "names application tikker, which release ticker 0.2.0 does not have (its applications: kernel, stdlib, sasl, ticker)");
            // apply checks the text again on the node and changes nothing when it is rejected there
            FailureException e = assertThrows(FailureException.class, () -> ConfigApply.apply(c, Overrides.NONE,
                    new Overrides("[{tikker, [{ticker, 1500}]}].", Map.of("tikker", List.of("ticker")))));
            assertTrue(e.getMessage().contains("does not have"), e.getMessage());
            assertEquals(envBefore, env(c), "a rejected config changes nothing");
            assertEquals(5000, interval(c));
        }
    }

    @Test
    @Order(2)
    void appliesAGoodOverrideLiveThroughConfigChange() throws Exception {
        try (ReleaseHandlerClient c = node.client()) {
            String pid = Terms.show(node.info(c).get("pid"), 100);
            ConfigCheck.Accepted ok = accepted(c, INTERVAL_1500);
            assertEquals("[{ticker,[{ticker,1500}]}].", ok.overrides().text());
            assertEquals(Map.of("ticker", List.of("ticker")), ok.overrides().keys());
            assertEquals("0.2.0", ok.vsn());

            ConfigReport report = ConfigApply.apply(c, Overrides.NONE, ok.overrides());
            AppChange ticker = report.apps().get(0);
            assertEquals(Map.of("ticker", "1500"), ticker.changed());
            assertEquals(Callback.Outcome.CALLED, ticker.callback().outcome(), ticker.callback().detail());
            assertEquals("ticker_app:config_change([{ticker,1500}], [], [])", ticker.callback().detail());
            assertEquals(1500, interval(c), "config_change pushed the interval to the running server");
            assertEquals(pid, Terms.show(node.info(c).get("pid"), 100), "same server process");

            ConfigReport again = ConfigApply.apply(c, ok.overrides(), ok.overrides());
            assertEquals(Callback.Outcome.UNCHANGED, again.apps().get(0).callback().outcome(), "idempotent");
        }
    }

    @Test
    @Order(3)
    void removingAnOverrideReturnsTheReleaseValue() throws Exception {
        try (ReleaseHandlerClient c = node.client()) {
            Overrides now = accepted(c, INTERVAL_1500).overrides();
            Overrides extra = accepted(c, "[{ticker, [{ticker, 1500}, {colour, blue}]}].").overrides();
            AppChange added = ConfigApply.apply(c, now, extra).apps().get(0);
            assertEquals(Map.of("colour", "blue"), added.added());
            assertEquals("ticker_app:config_change([], [{colour,blue}], [])", added.callback().detail());

            AppChange back = ConfigApply.apply(c, extra, Overrides.NONE).apps().get(0);
            assertEquals(Map.of("ticker", "5000"), back.changed(), "back to the .app default");
            assertEquals(List.of("colour"), back.removed(), "unset: the release has no value for it");
            assertEquals("ticker_app:config_change([{ticker,5000}], [], [colour])", back.callback().detail());
            assertEquals(5000, interval(c));
        }
    }

    @Test
    @Order(4)
    void persistedOverridesSurviveARestart() throws Exception {
        Path sys = node.root().resolve("releases/0.2.0/sys.config");
        String original = Files.readString(sys);
        try (ReleaseHandlerClient c = node.client()) {
            Overrides ov = accepted(c, INTERVAL_1500).overrides();
            Persisted p = LiveConfig.persist(c, "0.2.0", ov);
            assertEquals(sys.toString() + ".base", p.base());
            String merged = Files.readString(sys);
            LiveConfig.persist(c, "0.2.0", ov);
            assertEquals(merged, Files.readString(sys), "persisting again writes the same file");
            assertEquals(original, Files.readString(Path.of(p.base())), "the release's own sys.config is kept");
            assertEquals("[{ticker,[{ticker,1500}]}].", LiveConfig.persistedText(c, "0.2.0"));
            ConfigApply.apply(c, Overrides.NONE, ov);
        }
        node.stop();
        node.start();
        try (ReleaseHandlerClient c = node.client()) {
            assertEquals(1500, interval(c), "the new BEAM booted with the override");
            assertEquals("{ok,1500}", Terms.show(c.rpc("application", "get_env", Terms.atom("ticker"),
                    Terms.atom("ticker")), 100));
            Overrides persisted = accepted(c, LiveConfig.persistedText(c, "0.2.0")).overrides();
            ConfigApply.apply(c, persisted, Overrides.NONE);
            LiveConfig.persist(c, "0.2.0", Overrides.NONE);
            assertEquals(5000, interval(c));
        }
        node.stop();
        node.start();
        try (ReleaseHandlerClient c = node.client()) {
            assertEquals(5000, interval(c), "without overrides the release's own value boots");
        }
    }

    private static void assertRejected(ReleaseHandlerClient c, String text, String reason) throws FailureException {
        ConfigCheck check = LiveConfig.validate(c, text);
        ConfigCheck.Rejected r = assertInstanceOf(ConfigCheck.Rejected.class, check, text);
        assertEquals(reason, r.reason());
        assertEquals(text, r.text());
    }

    private static ConfigCheck.Accepted accepted(ReleaseHandlerClient c, String text) throws FailureException {
        return assertInstanceOf(ConfigCheck.Accepted.class, LiveConfig.validate(c, text), text);
    }

    private long interval(ReleaseHandlerClient c) throws FailureException {
        return Terms.longValue(node.info(c).get("interval"));
    }

    private static String env(ReleaseHandlerClient c) throws FailureException {
        return Terms.show(c.rpc("application", "get_all_env", Terms.atom("ticker")), 1000);
    }
}
