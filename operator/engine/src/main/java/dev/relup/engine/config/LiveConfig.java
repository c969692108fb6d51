package dev.relup.engine.config;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import dev.relup.engine.handler.Failure;
import dev.relup.engine.handler.FailureException;
import dev.relup.engine.handler.NodeEval;
import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.node.Terms;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Live configuration on one node: validate a text, apply it ({@link ConfigApply}), persist it into a release's
 * sys.config. The node is the parser: whatever a sys.config may hold parses here exactly as it does at boot.
 */
public final class LiveConfig {

    private LiveConfig() {
    }

    /** Checks {@code text} against the release the node runs. */
    public static ConfigCheck validate(ReleaseHandlerClient node, String text) throws FailureException {
        return validate(node, text, "");
    }

    /**
     * Checks {@code text} against release {@code vsn} on the node ({@code ""}: the one it runs), e.g. a release
     * unpacked for a move, whose applications may differ. Blank text means no overrides ({@code []}).
     */
    public static ConfigCheck validate(ReleaseHandlerClient node, String text, String vsn) throws FailureException {
        OtpErlangObject r = NodeEval.eval(node, "validate config", Exprs.VALIDATE, bindings(text, vsn),
                node.timeouts().call());
        Optional<ConfigCheck> rejected = rejection(text, r);
        if (rejected.isPresent()) {
            return rejected.get();
        }
        OtpErlangObject[] ok = Terms.tagged(r, "ok", 5).orElseThrow(() -> unexpected("validate config", r));
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (OtpErlangObject app : Terms.elements(ok[4])) {
            OtpErlangTuple pair = (OtpErlangTuple) app; // {App, [Key]}
            keys.put(Terms.text(pair.elementAt(0)), Terms.elements(pair.elementAt(1)).stream().map(Terms::text).toList());
        }
        return new ConfigCheck.Accepted(new Overrides(Terms.text(ok[1]), keys), Terms.text(ok[2]), Terms.text(ok[3]));
    }

    /**
     * Writes {@code overrides} into {@code releases/<vsn>/sys.config} on the node, merged over the release's own
     * values (kept once as {@code sys.config.base}); {@code Overrides.NONE} puts the release's own values back. For
     * the release the node runs it makes the overrides survive a restart; for a release unpacked for a move, written
     * before install_release, it makes the move itself apply them (install reads that file).
     */
    public static Persisted persist(ReleaseHandlerClient node, String vsn, Overrides overrides)
            throws FailureException {
        OtpErlangObject r = NodeEval.eval(node, "persist config", Exprs.PERSIST, bindings(overrides.text(), vsn),
                node.timeouts().call());
        Optional<ConfigCheck> rejected = rejection(overrides.text(), r);
        if (rejected.isPresent()) {
            throw new FailureException(new Failure.HandlerError("persist config",
                    ((ConfigCheck.Rejected) rejected.get()).reason()));
        }
        Optional<OtpErlangObject[]> refused = Terms.tagged(r, "refused", 2);
        if (refused.isPresent()) {
            throw new FailureException(new Failure.HandlerError("persist config", Terms.text(refused.get()[1])));
        }
        OtpErlangObject[] ok = Terms.tagged(r, "persisted", 3).orElseThrow(() -> unexpected("persist config", r));
        return new Persisted(vsn, Terms.text(ok[1]), Terms.text(ok[2]));
    }

    /** The overrides text persisted for release {@code vsn} on the node, {@code "[]."} when none were. */
    public static String persistedText(ReleaseHandlerClient node, String vsn) throws FailureException {
        String path = node.releaseRoot() + "/releases/" + vsn + "/relup-overrides.config";
        OtpErlangObject r = node.rpc("file", "read_file", Terms.charlist(path));
        return Terms.tagged(r, "ok", 2).map(ok -> Terms.text(ok[1]).strip()).orElse(Overrides.NONE.text());
    }

    /**
     * Before install_release of {@code toVsn}: the overrides the node runs (persisted for its running release) are
     * checked against {@code toVsn}'s applications and persisted into its sys.config, which install_release reads,
     * so a move keeps them and the env never falls back to the new release's values. Nothing is written when
     * {@code toVsn} already has the same overrides (no overrides anywhere costs two file reads).
     *
     * @return whether {@code toVsn}'s sys.config was written
     * @throws FailureException also when the overrides name an application {@code toVsn} does not have
     */
    public static boolean carry(ReleaseHandlerClient node, String toVsn) throws FailureException {
        String running = persistedText(node, node.runningVsn());
        if (running.equals(persistedText(node, toVsn))) {
            return false;
        }
        ConfigCheck check = validate(node, running, toVsn);
        if (check instanceof ConfigCheck.Rejected r) {
            throw new FailureException(new Failure.HandlerError("carry config", "the overrides the node runs, "
                    + running + ", do not fit release " + toVsn + ": " + r.reason()));
        }
        persist(node, toVsn, ((ConfigCheck.Accepted) check).overrides());
        return true;
    }

    static Map<String, OtpErlangObject> bindings(String text, String vsn) {
        return Map.of("Text", Terms.charlist(text == null ? "" : text), "TargetVsn", Terms.charlist(vsn));
    }

    static Optional<ConfigCheck> rejection(String text, OtpErlangObject r) {
        return Terms.tagged(r, "rejected", 2).map(e -> new ConfigCheck.Rejected(text, Terms.text(e[1])));
    }

    static FailureException unexpected(String operation, OtpErlangObject r) {
        return new FailureException(new Failure.HandlerError(operation, "unexpected answer " + Terms.show(r, 300)));
    }
}
