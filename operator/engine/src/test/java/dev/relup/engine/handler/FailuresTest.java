package dev.relup.engine.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import dev.relup.engine.node.NodeException;
import dev.relup.engine.node.NodeProblem;
import dev.relup.engine.node.Terms;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {error, Reason} shapes release_handler returns (measured on OTP 25, see erlang-releases.md). */
class FailuresTest {

    static OtpErlangObject t(OtpErlangObject... e) {
        return Terms.tuple(e);
    }

    static OtpErlangObject a(String s) {
        return Terms.atom(s);
    }

    @Test
    void oldProcessesNamesTheModule() {
        Failure f = Failures.fromError("install_release", "0.1.0", "0.2.0", t(a("old_processes"), a("ticker_server")));
        Failure.OldProcesses o = assertInstanceOf(Failure.OldProcesses.class, f);
        assertEquals("ticker_server", o.module());
        assertEquals("0.2.0", o.target());
        assertEquals("OLD_PROCESSES", f.kind());
        assertFalse(f.retryable(), "the same package is refused again until the processes end or purge changes");
    }

    @Test
    void oldProcessesMessageNamesPidsFunctionsAndTheWayThrough() {
        Failure.OldProcesses o = new Failure.OldProcesses("ticker_app", "0.2.0",
                List.of(new OldCodeProcess("<0.290.0>", "ticker_app:linger/0")), false).withUnpackedRemoved();
        assertEquals("soft purge refused to install 0.2.0: old code of ticker_app still runs in 1 process: "
                + "<0.290.0> in ticker_app:linger/0; nothing was installed and the unpacked 0.2.0 was removed. "
                + "To let it through, end those processes or purge ticker_app brutally (kills them): "
                + "spec.purge.modules: {ticker_app: brutal} (relup_builder --purge-module ticker_app=brutal)",
                o.message());
    }

    @Test
    void oldProcessesMessageCountsWhatItDoesNotShow() {
        List<OldCodeProcess> many = java.util.stream.IntStream.range(0, 7)
                .mapToObj(i -> new OldCodeProcess("<0." + i + ".0>", "m:loop/1")).toList();
        String m = new Failure.OldProcesses("m", "2", many, false).message();
        assertTrue(m.contains("still runs in 7 processes: <0.0.0> in m:loop/1,"), m);
        assertTrue(m.contains("<0.4.0> in m:loop/1, and 2 more;"), m);
        assertFalse(m.contains("<0.5.0>"), m);
        assertTrue(m.contains("nothing was installed."), m);
    }

    @Test
    void noMatchingRelupAndMissingRelupAreNoPath() {
        Failure f1 = Failures.fromError("install_release", "0.1.0", "0.3.0",
                t(a("no_matching_relup"), Terms.charlist("0.3.0"), Terms.charlist("0.1.0")));
        assertInstanceOf(Failure.NoUpgradePath.class, f1);
        assertTrue(f1.message().startsWith("no upgrade path from 0.1.0 to 0.3.0"), f1.message());
        Failure f2 = Failures.fromError("install_release", "0.1.0", "0.3.0",
                t(a("enoent"), Terms.charlist("/opt/release/releases/0.1.0/relup")));
        assertInstanceOf(Failure.NoUpgradePath.class, f2);
        assertFalse(f2.retryable());
        Failure other = Failures.fromError("unpack_release", "?", "0.3.0",
                t(a("enoent"), Terms.charlist("/opt/release/releases/0.3.0/ticker.rel")));
        assertInstanceOf(Failure.HandlerError.class, other);
    }

    @Test
    void codeChangeFailedIsRecognised() {
        OtpErlangObject reason = t(a("code_change_failed"), new OtpErlangPid("n@h", 1, 2, 3), a("ticker_server"),
                Terms.charlist("x"), t(a("EXIT"), a("broken_on_purpose")));
        var cc = Failures.codeChange(reason).orElseThrow();
        assertEquals("ticker_server", cc.module());
        assertTrue(cc.reason().contains("broken_on_purpose"));
        Failure f = Failures.fromError("install_release", "0.1.0", "0.9.0", reason);
        assertEquals("CODE_CHANGE_FAILED", f.kind());
        assertTrue(f.message().contains("code_change failed in ticker_server"), f.message());
    }

    @Test
    void nodeProblemsMapToTheirKinds() {
        Duration d = Duration.ofSeconds(3);
        assertEquals("NODE_UNREACHABLE", Failures.fromNode("n@h", "connect",
                new NodeException(NodeProblem.UNREACHABLE, "epmd down"), d).kind());
        assertEquals("NODE_UNREACHABLE", Failures.fromNode("n@h", "connect",
                new NodeException(NodeProblem.NOT_REGISTERED, "no name"), d).kind());
        assertEquals("AUTH_FAILED", Failures.fromNode("n@h", "connect",
                new NodeException(NodeProblem.AUTH_FAILED, "cookie"), d).kind());
        Failure timeout = Failures.fromNode("n@h", "install_release",
                new NodeException(NodeProblem.TIMEOUT, "no answer"), Duration.ofSeconds(90));
        assertEquals("TIMEOUT", timeout.kind());
        assertTrue(timeout.message().contains("90000 ms"), timeout.message());
        assertTrue(timeout.message().contains("may still be working"), timeout.message());
        assertEquals("CONNECTION_LOST", Failures.fromNode("n@h", "x",
                new NodeException(NodeProblem.CONNECTION_LOST, "closed"), d).kind());
    }

    @Test
    void noprocFromRexMeansNoSasl() {
        OtpErlangObject reason = t(a("EXIT"), t(a("noproc"), t(a("gen_server"), a("call"))));
        Failure f = Failures.fromNode("n@h", "which_releases",
                new NodeException(NodeProblem.BAD_RPC, "badrpc", reason, null), Duration.ofSeconds(1));
        assertInstanceOf(Failure.HandlerError.class, f);
        assertTrue(f.message().contains("sasl"), f.message());
    }
}
