package dev.relup.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import dev.relup.engine.handler.FailureException;
import dev.relup.engine.handler.Release;
import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.handler.ReleasePackage;
import dev.relup.engine.handler.ReleaseState;
import dev.relup.engine.node.Terms;
import dev.relup.engine.upgrade.NodeMove;
import dev.relup.engine.upgrade.UpgradeReport;
import java.util.Map;

/**
 * What a hot upgrade of ticker 0.1.0 to 0.2.0 (and back) must look like from outside: same OS process, same
 * gen_server process with its count, the new interval, the new ticker_stats child; and the reverse.
 * Shared by the upgrade test and the generated-vs-hand-written appup comparison.
 */
public final class TickerAssertions {

    private TickerAssertions() {
    }

    /** Waits until the 0.1.0 ticker (1 s interval) has counted a few ticks, so "the count continues" means something. */
    public static Map<String, OtpErlangObject> ticked(LiveNode node, ReleaseHandlerClient c, long atLeast)
            throws FailureException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            Map<String, OtpErlangObject> info = node.info(c);
            if (count(info) >= atLeast) {
                return info;
            }
            LiveNode.sleep(200);
        }
        return fail("ticker on " + node.name() + " did not reach " + atLeast + " ticks");
    }

    public static UpgradeReport upgradeTo020(LiveNode node, ReleasePackage pkg) throws FailureException {
        try (ReleaseHandlerClient c = node.client()) {
            Map<String, OtpErlangObject> before = ticked(node, c, 2);
            assertEquals("0.1.0", Terms.text(before.get("app_vsn")));
            assertEquals(1000, Terms.intValue(before.get("interval")));
            assertTrue(Terms.isAtom(c.rpc("erlang", "whereis", Terms.atom("ticker_stats")), "undefined"));

            UpgradeReport report = NodeMove.toPackage(c, pkg).run();

            Map<String, OtpErlangObject> after = node.info(c);
            assertEquals("0.1.0", report.from());
            assertEquals("0.2.0", report.to());
            assertEquals(Terms.text(before.get("os_pid")), Terms.text(after.get("os_pid")), "same OS process");
            assertEquals(before.get("pid"), after.get("pid"), "same gen_server process");
            assertTrue(count(after) >= count(before), "count continues: " + count(before) + " -> " + count(after));
            assertEquals("0.2.0", Terms.text(after.get("app_vsn")));
            assertEquals(5000, Terms.intValue(after.get("interval")), "new interval from the 0.2.0 env");
            assertEquals(2, Terms.intValue(after.get("state_vsn")), "state converted by code_change");
            assertInstanceOf(OtpErlangPid.class, c.rpc("erlang", "whereis", Terms.atom("ticker_stats")),
                    "new child ticker_stats runs");
            assertState(c, "0.2.0", ReleaseState.PERMANENT);
            assertState(c, "0.1.0", ReleaseState.OLD);
            assertTrue(c.startScriptIs("ticker", "0.2.0"), "bin/ticker is bin/ticker-0.2.0");
            return report;
        }
    }

    public static UpgradeReport downgradeTo010(LiveNode node) throws FailureException {
        try (ReleaseHandlerClient c = node.client()) {
            Map<String, OtpErlangObject> before = node.info(c);
            assertEquals("0.2.0", Terms.text(before.get("app_vsn")));

            UpgradeReport report = NodeMove.toInstalled(c, "0.1.0").run();

            Map<String, OtpErlangObject> after = node.info(c);
            assertEquals("0.2.0", report.from());
            assertEquals("0.1.0", report.to());
            assertEquals(Terms.text(before.get("os_pid")), Terms.text(after.get("os_pid")), "same OS process");
            assertEquals(before.get("pid"), after.get("pid"), "same gen_server process");
            assertTrue(count(after) >= count(before), "count continues");
            assertEquals("0.1.0", Terms.text(after.get("app_vsn")));
            assertEquals(1000, Terms.intValue(after.get("interval")));
            assertEquals(1, Terms.intValue(after.get("state_vsn")), "state converted back by code_change down");
            assertTrue(Terms.isAtom(c.rpc("erlang", "whereis", Terms.atom("ticker_stats")), "undefined"),
                    "ticker_stats stopped");
            // and the old code really runs: the 1 s ticker keeps counting
            ticked(node, c, count(after) + 1);
            assertState(c, "0.1.0", ReleaseState.PERMANENT);
            assertTrue(c.startScriptIs("ticker", "0.1.0"), "bin/ticker is bin/ticker-0.1.0 again");
            return report;
        }
    }

    public static void assertState(ReleaseHandlerClient c, String vsn, ReleaseState state) throws FailureException {
        Release r = c.whichReleases().version(vsn).orElseGet(() -> fail(vsn + " is not on the node"));
        assertEquals(state, r.state(), "state of " + vsn);
    }

    public static long count(Map<String, OtpErlangObject> info) {
        return Terms.longValue(info.get("count"));
    }
}
