package dev.relup.engine.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.ericsson.otp.erlang.OtpErlangObject;
import dev.relup.engine.node.Cookie;
import dev.relup.engine.node.RemoteNode;
import dev.relup.engine.node.Terms;
import dev.relup.engine.testing.LiveNode;
import dev.relup.engine.testing.OldCode;
import dev.relup.engine.testing.Ticker;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OTP behaviour {@link SoftPurgeCheck} exists for, measured on a real node: install_release refuses with
 * old_processes but leaves the applications' vsn and env switched to the new release's; the check puts them back.
 */
class SoftPurgeCheckTest {

    @TempDir
    Path work;

    @Test
    void aRefusedInstallReleaseLeavesNewApplicationDataWhichIsPutBack() throws Exception {
        ReleasePackage pkg = Ticker.packageFor("0.1.0", "0.2.0", work);
        try (LiveNode node = LiveNode.start("0.1.0", work); ReleaseHandlerClient c = node.client();
                RemoteNode remote = RemoteNode.connect(node.name(), Cookie.of(node.cookie()),
                        Timeouts.defaults().connect())) {
            OldCode.lingerIn(c, work, "ticker_app");
            c.transfer(pkg);
            c.unpack(pkg);
            List<OtpErlangObject> before = applicationData(c);

            // install_release straight away, as the engine no longer does
            OtpErlangObject r = c.rpc("release_handler", "install_release", Terms.charlist("0.2.0"));
            assertEquals("ticker_app", SoftPurgeCheck.refusedModule(r).orElseThrow(), Terms.show(r, 200));
            List<OtpErlangObject> refused = applicationData(c);
            System.out.println("after a refused install_release: " + refused + " (before: " + before + ")");
            assertEquals("0.1.0", c.runningVsn());
            assertNotEquals(before, refused, "OTP switched the application data although nothing was installed");

            SoftPurgeCheck check = new SoftPurgeCheck(new NodeCalls(remote), Timeouts.defaults());
            FailureException e = check.afterRefusedInstall("0.1.0", "0.2.0", "ticker_app");
            assertEquals("OLD_PROCESSES", e.failure().kind());
            assertEquals(before, applicationData(c), "the running release's application data is back");
        }
    }

    private static List<OtpErlangObject> applicationData(ReleaseHandlerClient c) throws FailureException {
        return List.of(c.rpc("application", "get_key", Terms.atom("ticker"), Terms.atom("vsn")),
                c.rpc("application", "get_all_env", Terms.atom("ticker")));
    }
}
