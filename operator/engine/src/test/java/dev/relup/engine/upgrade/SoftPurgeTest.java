package dev.relup.engine.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import dev.relup.engine.build.PurgeOptions;
import dev.relup.engine.handler.Failure;
import dev.relup.engine.handler.FailureException;
import dev.relup.engine.handler.OldCodeProcess;
import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.handler.ReleasePackage;
import dev.relup.engine.handler.Releases;
import dev.relup.engine.node.Terms;
import dev.relup.engine.testing.LiveNode;
import dev.relup.engine.testing.OldCode;
import dev.relup.engine.testing.Ticker;
import dev.relup.engine.testing.TickerAssertions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soft purge on a real ticker node: a process left in old code of ticker_app (which the 0.1.0 -> 0.2.0 relup
 * loads) blocks the default (soft) package with a failure naming the module, the pid and its function, and the node
 * is as before the move; the package built with {@code ticker_app=brutal} then goes through and kills the process.
 */
class SoftPurgeTest {

    @TempDir
    Path work;

    @Test
    void lingeringOldCodeBlocksSoftPurgeAndBrutalForThatModuleLetsItThrough() throws Exception {
        ReleasePackage soft = Ticker.packageFor("0.1.0", "0.2.0", work);
        ReleasePackage brutal = Ticker.packageFor("0.1.0", "0.2.0", work,
                PurgeOptions.defaults().with("ticker_app", "brutal"));
        try (LiveNode node = LiveNode.start("0.1.0", work); ReleaseHandlerClient c = node.client()) {
            OtpErlangPid lingering = OldCode.lingerIn(c, work, "ticker_app");
            String pid = OldCode.text(c, lingering);
            Snapshot before = Snapshot.of(node, c);

            FailureException e = assertThrows(FailureException.class, () -> NodeMove.toPackage(c, soft).run());
            System.out.println("soft purge, before: " + before.releases());
            System.out.println("soft purge refused: " + e.getMessage());
            Failure.OldProcesses refused = assertInstanceOf(Failure.OldProcesses.class, e.failure(), e.getMessage());
            assertEquals("ticker_app", refused.module());
            assertEquals(List.of(new OldCodeProcess(pid, "ticker_app:linger/0")), refused.processes());
            assertTrue(refused.unpackedRemoved(), "the unpacked 0.2.0 was removed again");
            assertFalse(refused.retryable());
            assertTrue(e.getMessage().contains(pid + " in ticker_app:linger/0"), e.getMessage());
            assertTrue(e.getMessage().contains("spec.purge.modules: {ticker_app: brutal}"), e.getMessage());

            Snapshot after = Snapshot.of(node, c);
            System.out.println("soft purge, after:  " + after.releases());
            assertEquals(before, after, "the node is as before the move");
            assertTrue(OldCode.alive(c, lingering) && OldCode.runsOldCode(c, lingering, "ticker_app"),
                    "the lingering process lives on, in its old code");

            UpgradeReport report = NodeMove.toPackage(c, brutal).run();
            assertEquals("0.2.0", report.to());
            assertEquals("0.2.0", c.runningVsn());
            assertFalse(OldCode.alive(c, lingering), "brutal purge of ticker_app killed " + pid);
            Map<String, OtpErlangObject> info = node.info(c);
            assertEquals(before.serverPid(), info.get("pid"), "same ticker_server process");
            assertEquals("0.2.0", Terms.text(info.get("app_vsn")));
        }
    }

    /**
     * What "as before" means, each part measured: which_releases, the files under releases/ and lib/ (unpack writes
     * both), the running code's view of the application (install_release switches vsn and env before its purge
     * check), and the ticker_server process with its interval.
     */
    record Snapshot(Releases releases, OtpErlangObject releaseFiles, OtpErlangObject libFiles,
            OtpErlangObject appVsn, OtpErlangObject appEnv, OtpErlangObject serverPid, OtpErlangObject interval) {

        static Snapshot of(LiveNode node, ReleaseHandlerClient c) throws FailureException {
            String root = c.releaseRoot();
            Map<String, OtpErlangObject> info = TickerAssertions.ticked(node, c, 1);
            return new Snapshot(c.whichReleases(), sorted(c, root + "/releases"), sorted(c, root + "/lib"),
                    c.rpc("application", "get_key", Terms.atom("ticker"), Terms.atom("vsn")),
                    c.rpc("application", "get_all_env", Terms.atom("ticker")), info.get("pid"), info.get("interval"));
        }

        private static OtpErlangObject sorted(ReleaseHandlerClient c, String dir) throws FailureException {
            OtpErlangObject listed = c.rpc("file", "list_dir", Terms.charlist(dir));
            return c.rpc("lists", "sort", Terms.tagged(listed, "ok", 2).orElseThrow()[1]);
        }
    }
}
