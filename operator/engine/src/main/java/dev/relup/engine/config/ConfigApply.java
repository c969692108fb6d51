package dev.relup.engine.config;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import dev.relup.engine.handler.Failure;
import dev.relup.engine.handler.FailureException;
import dev.relup.engine.handler.NodeEval;
import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.node.Terms;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies overrides in place, as install_release applies a new sys.config: the env is set, then each changed
 * running application's {@code Mod:config_change(Changed, New, Removed)} is called with the diff OTP's
 * {@code application_controller:do_config_diff/2} computes.
 *
 * <p>Not through {@code application_controller:config_change/1} itself: it runs every callback inside the
 * application controller (a slow callback freezes every {@code application} call on the node, with no timeout) and
 * answers a bare error list without application names, where the operator needs one outcome per application.
 */
public final class ConfigApply {

    private ConfigApply() {
    }

    /**
     * Moves the node from {@code previous} (the overrides applied before, {@link Overrides#NONE} if none; see
     * {@link LiveConfig#persistedText}) to {@code next}. A key in {@code previous} and not in {@code next} goes back
     * to the release's own value (.app default, then sys.config), or is unset when the release has none. The text of
     * {@code next} is checked again on the node first; rejected now, nothing is changed and this throws.
     */
    public static ConfigReport apply(ReleaseHandlerClient node, Overrides previous, Overrides next)
            throws FailureException {
        Map<String, OtpErlangObject> bindings = new HashMap<>(LiveConfig.bindings(next.text(), ""));
        bindings.put("PrevText", Terms.charlist(previous.text()));
        OtpErlangObject r = NodeEval.eval(node, "apply config", Exprs.APPLY, bindings, node.timeouts().install());
        var rejected = Terms.tagged(r, "rejected", 2);
        if (rejected.isPresent()) {
            throw new FailureException(new Failure.HandlerError("apply config", Terms.text(rejected.get()[1])));
        }
        OtpErlangObject[] applied = Terms.tagged(r, "applied", 3)
                .orElseThrow(() -> LiveConfig.unexpected("apply config", r));
        List<AppChange> apps = Terms.elements(applied[2]).stream().map(ConfigApply::change).toList();
        return new ConfigReport(Terms.text(applied[1]), apps);
    }

    // {App, [{K, Shown}], [{K, Shown}], [K], {Outcome, Detail}}
    private static AppChange change(OtpErlangObject term) {
        OtpErlangTuple t = (OtpErlangTuple) term;
        OtpErlangTuple cb = (OtpErlangTuple) t.elementAt(4);
        Callback callback = new Callback(Callback.Outcome.valueOf(Terms.text(cb.elementAt(0)).toUpperCase()),
                Terms.text(cb.elementAt(1)));
        return new AppChange(Terms.text(t.elementAt(0)), shown(t.elementAt(1)), shown(t.elementAt(2)),
                Terms.elements(t.elementAt(3)).stream().map(Terms::text).toList(), callback);
    }

    private static Map<String, String> shown(OtpErlangObject list) {
        Map<String, String> out = new LinkedHashMap<>();
        for (OtpErlangObject e : Terms.elements(list)) {
            OtpErlangTuple kv = (OtpErlangTuple) e;
            out.put(Terms.text(kv.elementAt(0)), Terms.text(kv.elementAt(1)));
        }
        return out;
    }
}
