package dev.relup.operator.status;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.relup.api.v1alpha1.ConfigStatus;
import dev.relup.api.v1alpha1.ErlangReleaseSpec;
import dev.relup.operator.decide.Action;
import dev.relup.operator.decide.Reasons;
import dev.relup.operator.observe.ConfigHash;
import dev.relup.operator.observe.PodObservation;

/** The live configuration part of the status: {@code status.config} and what it says to the conditions. */
final class ConfigView {

    /** A reason and message for a condition. */
    record Say(String reason, String message) {}

    private ConfigView() {
    }

    /** status.config after the pass: the pass's state, with what each pod's node runs as observed. */
    static ConfigStatus status(ErlangReleaseSpec spec, ConfigStatus fromPass, List<PodObservation> pods) {
        ConfigStatus c = fromPass == null ? new ConfigStatus() : fromPass.copy();
        if (ConfigHash.blank(spec.getConfig())) { // means no overrides: nothing for a node to validate
            c.setSpec(ConfigHash.of(spec.getConfig()));
            c.setDesired(ConfigHash.of(ConfigHash.NONE));
            c.setRejected(null);
        }
        Map<String, String> applied = new TreeMap<>();
        for (PodObservation p : pods) {
            if (p.reachable() && p.node().overrides() != null) {
                applied.put(p.name(), ConfigHash.of(p.node().overrides()));
            }
        }
        c.setApplied(applied);
        return c;
    }

    /** A rejected spec.config or a config change that stopped: Degraded. */
    static Optional<Say> degraded(Action action) {
        if (action instanceof Action.ConfigHeld h) {
            return Optional.of(new Say(h.reason(), h.message()));
        }
        if (action instanceof Action.EndConfig e && e.reason() != null) {
            return Optional.of(new Say(e.reason(), e.message()));
        }
        return Optional.empty();
    }

    /** A config change under way: Progressing, with how many pods run the desired config. */
    static Optional<Say> progressing(Action action, ConfigStatus c, List<PodObservation> pods) {
        boolean acting = action instanceof Action.ValidateConfig || action instanceof Action.ApplyConfig
                || action instanceof Action.VerifyConfig || action instanceof Action.StartConfigRollback
                || action instanceof Action.EndConfig e && e.reason() == null;
        if (!acting) {
            return Optional.empty();
        }
        boolean back = c.getRollout() != null && c.getRollout().rollingBack();
        long on = c.getDesired() == null ? 0 : c.getApplied().values().stream().filter(c.getDesired()::equals).count();
        String what = action instanceof Action.ValidateConfig ? "validating spec.config"
                : (back ? "rolling back config " : "applying config ") + c.getDesired() + ": " + on + "/" + pods.size()
                + " pods run it";
        return Optional.of(new Say(back ? Reasons.ROLLING_BACK_CONFIG : Reasons.APPLYING_CONFIG, what));
    }
}
