package dev.relup.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import dev.relup.engine.handler.FailureException;
import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.node.Terms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Leaves a process running old code of a module on a live node, which is what makes a soft purge refuse.
 *
 * <p>release_handler's check (release_handler_1:check_old_processes) only looks at modules that already HAVE old
 * code ({@code erlang:check_old_code/1}) and asks whether a process still runs it: a process running the current
 * code is fine, because loading the new version makes that code old and soft_purge then waits for the process. So
 * the module must be loaded twice while a process stays in the first version: a stand-in {@code Module} whose
 * {@code linger/0} loops with non-qualified calls is compiled here (the node runs a prod release, without the
 * compiler) and loaded on the node, a process is spawned into it, then the release's own beam is loaded again.
 * The node then runs its own code for {@code Module}, and the stand-in is old code in use: exactly what a
 * developer's {@code l(Mod)} or an earlier upgrade leaves behind when a process loops without {@code ?MODULE:}.
 */
public final class OldCode {

    private OldCode() {
    }

    /** Returns the lingering process. */
    public static OtpErlangPid lingerIn(ReleaseHandlerClient c, Path work, String module) throws FailureException {
        OtpErlangBinary standIn = compile(work, module);
        assertTrue(Terms.isAtom(c.rpc("erlang", "check_old_code", Terms.atom(module)), "false"),
                module + " has no old code yet");
        assertLoaded(module, c.rpc("code", "load_binary", Terms.atom(module), Terms.charlist(module + ".erl"), standIn));
        OtpErlangPid pid = (OtpErlangPid) c.rpc("erlang", "spawn", Terms.atom(module), Terms.atom("linger"),
                Terms.list());
        // the release's own beam back: the stand-in becomes old code, with the process still in it
        c.rpc("code", "purge", Terms.atom(module));
        OtpErlangTuple own = (OtpErlangTuple) c.rpc("code", "get_object_code", Terms.atom(module));
        assertLoaded(module, c.rpc("code", "load_binary", Terms.atom(module), own.elementAt(2), own.elementAt(1)));
        assertTrue(runsOldCode(c, pid, module), pid + " runs old code of " + module);
        return pid;
    }

    public static boolean runsOldCode(ReleaseHandlerClient c, OtpErlangPid pid, String module)
            throws FailureException {
        return Terms.isAtom(c.rpc("erlang", "check_process_code", pid, Terms.atom(module)), "true");
    }

    public static boolean alive(ReleaseHandlerClient c, OtpErlangPid pid) throws FailureException {
        return Terms.isAtom(c.rpc("erlang", "is_process_alive", pid), "true");
    }

    /** {@code pid_to_list/1} on the node: the form failure messages use. */
    public static String text(ReleaseHandlerClient c, OtpErlangPid pid) throws FailureException {
        return Terms.text(c.rpc("erlang", "pid_to_list", pid));
    }

    private static void assertLoaded(String module, OtpErlangObject r) {
        assertEquals(Terms.tuple(Terms.atom("module"), Terms.atom(module)), r, "loading " + module);
    }

    private static OtpErlangBinary compile(Path work, String module) {
        try {
            Path dir = Files.createDirectories(work.resolve("stand-in"));
            Path src = dir.resolve(module + ".erl");
            Files.writeString(src, "-module(" + module + ").\n-export([linger/0]).\n"
                    + "linger() ->\n    receive stop -> ok; _ -> linger()\n    end.\n");
            LiveNode.run(Duration.ofSeconds(60), Map.of(), "erlc", "-o", dir.toString(), src.toString());
            Path beam = dir.resolve(module + ".beam");
            if (!Files.isRegularFile(beam)) {
                fail("erlc did not compile " + src);
            }
            return new OtpErlangBinary(Files.readAllBytes(beam));
        } catch (IOException e) {
            return fail("cannot compile the stand-in " + module + ": " + e);
        }
    }
}
