package dev.relup.engine.handler;

import static dev.relup.engine.handler.NodeCalls.fail;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import dev.relup.engine.node.Terms;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a soft purge refusal into a {@link Failure.OldProcesses} that names the processes, with the node left as
 * it was.
 *
 * <p>Why install_release is not asked first: OTP's install_release switches the applications' {@code vsn} and env
 * to the new release's ({@code application_controller:change_application_data}) before it evaluates the relup
 * script, whose first act is the old-process check, and does not switch them back when that check refuses.
 * Measured (OTP 25, sasl 4.2, ticker 0.1.0 -> 0.2.0): after {@code {error,{old_processes,ticker_app}}} the node
 * still ran 0.1.0 code but {@code application:get_key(ticker, vsn)} said 0.2.0 and the env held 0.2.0's interval.
 * {@code check_install_release} runs the same check and changes nothing, so it goes first. Should install_release
 * refuse anyway (old code appeared in between), the running release's application data is put back, as
 * release_handler itself would have loaded it: from that release's boot script and sys.config.
 */
final class SoftPurgeCheck {

    /** Every process for which check_process_code says it still uses old code of Mod, with where it is. */
    private static final String OLD_CODE_PROCESSES = """
            [{erlang:pid_to_list(P),
              case erlang:process_info(P, current_function) of
                  {current_function, {M, F, A}} -> lists:flatten(io_lib:format("~w:~w/~w", [M, F, A]));
                  _ -> "exited"
              end} || P <- erlang:processes(), erlang:check_process_code(P, Mod)].""";

    /** release_handler's change_appl_data/3 for the release Vsn, with its config_change notification. */
    private static final String RESTORE_APPLICATION_DATA = """
            Dir = filename:join([code:root_dir(), "releases", Vsn]),
            {ok, Boot} = file:read_file(filename:join(Dir, "start.boot")),
            {script, _, Script} = erlang:binary_to_term(Boot),
            Appls = [A || {kernelProcess, application_controller, {application_controller, start, [A]}} <- Script]
                ++ [A || {apply, {application, load, [A]}} <- Script],
            Config = case file:consult(filename:join(Dir, "sys.config")) of {ok, [C]} -> C; _ -> [] end,
            Before = application_controller:prep_config_change(),
            ok = application_controller:change_application_data(Appls, Config),
            application_controller:config_change(Before).""";

    private final NodeCalls calls;
    private final Timeouts timeouts;

    SoftPurgeCheck(NodeCalls calls, Timeouts timeouts) {
        this.calls = calls;
        this.timeouts = timeouts;
    }

    /**
     * {@code check_install_release(Vsn)}: throws {@link Failure.OldProcesses} when soft purge would refuse. Any
     * other answer is left to install_release, which reports it with its own mapping.
     */
    void check(String vsn) throws FailureException {
        OtpErlangObject r = calls.call("check_install_release", timeouts.call(), "release_handler",
                "check_install_release", Terms.charlist(vsn));
        Optional<String> module = refusedModule(r);
        if (module.isPresent()) {
            throw fail(describe(module.get(), vsn));
        }
    }

    /** After install_release itself refused: the running release's application data back, then the failure. */
    FailureException afterRefusedInstall(String runningVsn, String vsn, String module) throws FailureException {
        OtpErlangObject r = calls.eval("restore application data", RESTORE_APPLICATION_DATA,
                Map.of("Vsn", Terms.charlist(runningVsn)), timeouts.call());
        NodeCalls.expectOk("restore the application data of " + runningVsn + " after a refused install", r);
        return fail(describe(module, vsn));
    }

    /** The module of {@code {error, {old_processes, Mod}}}, if that is what {@code r} is. */
    static Optional<String> refusedModule(OtpErlangObject r) {
        return Terms.tagged(r, "error", 2).flatMap(e -> Terms.tagged(e[1], "old_processes", 2))
                .map(o -> Terms.text(o[1]));
    }

    private Failure.OldProcesses describe(String module, String vsn) throws FailureException {
        OtpErlangObject r = calls.eval("old code processes", OLD_CODE_PROCESSES, Map.of("Mod", Terms.atom(module)),
                timeouts.call());
        List<OldCodeProcess> processes = Terms.elements(r).stream().map(SoftPurgeCheck::process).toList();
        return new Failure.OldProcesses(module, vsn, processes, false);
    }

    private static OldCodeProcess process(OtpErlangObject t) {
        if (t instanceof OtpErlangTuple pair && pair.arity() == 2) {
            return new OldCodeProcess(Terms.text(pair.elementAt(0)), Terms.text(pair.elementAt(1)));
        }
        throw new IllegalArgumentException("not {Pid, CurrentFunction}: " + t);
    }
}
