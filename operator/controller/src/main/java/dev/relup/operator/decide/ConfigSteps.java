package dev.relup.operator.decide;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.relup.api.v1alpha1.ConfigRollout;
import dev.relup.api.v1alpha1.ConfigStatus;
import dev.relup.api.v1alpha1.Rollback;
import dev.relup.operator.decide.Action.ApplyConfig;
import dev.relup.operator.decide.Action.ConfigHeld;
import dev.relup.operator.decide.Action.EndConfig;
import dev.relup.operator.decide.Action.Idle;
import dev.relup.operator.decide.Action.StartConfigRollback;
import dev.relup.operator.decide.Action.ValidateConfig;
import dev.relup.operator.decide.Action.VerifyConfig;
import dev.relup.operator.observe.ConfigHash;
import dev.relup.operator.observe.PodObservation;

/**
 * Live configuration, once every pod runs the desired version and is Ready (no move in flight): a rollback under
 * way finishes; a failure just recorded rolls back (Auto) or stops (Manual); a spec.config not validated yet is
 * validated on one node first (rejected: held, no pod touched); changed pods are health-checked before any other
 * changes; then the canary (highest ordinal), then {@code batchSize} pods at a time get the spec's overrides.
 * Configurations are compared by the hash of their canonical text ({@link ConfigHash}); a pod whose overrides were
 * not read is left alone.
 */
final class ConfigSteps {

    private ConfigSteps() {
    }

    static Action next(Decider.Input in, List<PodObservation> pods) {
        ConfigStatus status = in.status() == null ? null : in.status().getConfig();
        ConfigRollout r = status == null ? null : status.getRollout();
        boolean active = r != null && r.getFailure() == null;
        if (active && r.rollingBack()) {
            return rollback(r, pods);
        }
        if (active && r.getCause() != null) {
            return failed(in, r, pods);
        }
        String specText = in.spec().getConfig();
        String specHash = ConfigHash.of(specText);
        if (r != null && r.getFailure() != null && specHash.equals(r.getSpec())
                && Objects.equals(r.getRetryToken(), in.retryToken())) {
            return new ConfigHeld(r.getFailureReason(), r.getFailure());
        }
        String desired;
        if (ConfigHash.blank(specText)) {
            desired = ConfigHash.of(ConfigHash.NONE);
        } else if (status == null || !specHash.equals(status.getSpec())) {
            Optional<PodObservation> canary = pods.stream().filter(PodObservation::reachable)
                    .max(Comparator.comparingInt(PodObservation::ordinal));
            return canary.<Action>map(p -> new ValidateConfig(p.name(), specText)).orElseGet(Idle::new);
        } else if (status.getRejected() != null || status.getDesired() == null) {
            String reason = status.getRejected() == null ? "not validated" : status.getRejected().getReason();
            return new ConfigHeld(Reasons.CONFIG_REJECTED, "spec.config rejected: " + reason
                    + "; the pods keep their configuration until spec.config changes");
        } else {
            desired = status.getDesired();
        }
        if (active && desired.equals(r.getDesired()) && in.spec().getHealthCheck() != null) {
            List<String> unchecked = pods.stream().filter(p -> r.getChanged().contains(p.name()))
                    .filter(p -> desired.equals(hash(p))).map(PodObservation::name)
                    .filter(n -> !r.getHealthy().contains(n)).sorted().toList();
            if (!unchecked.isEmpty()) {
                return new VerifyConfig(unchecked);
            }
        }
        List<PodObservation> off = pods.stream().filter(p -> hash(p) != null && !desired.equals(hash(p))).toList();
        if (off.isEmpty()) {
            return active ? new EndConfig(null, "every pod runs config " + desired) : new Idle();
        }
        boolean canary = !active || !desired.equals(r.getDesired()) || r.getChanged().isEmpty();
        int batch = canary ? 1 : Math.max(1, SpecDefaults.batchSize(in.spec()));
        List<String> chosen = off.stream().sorted(Comparator.comparingInt(PodObservation::ordinal).reversed())
                .limit(batch).map(PodObservation::name).toList();
        return new ApplyConfig(chosen, canary, false);
    }

    /** A failed apply, callback or check: the changed pods go back (Auto) or stay (Manual). */
    private static Action failed(Decider.Input in, ConfigRollout r, List<PodObservation> pods) {
        List<String> changed = changedStill(r, pods);
        if (changed.isEmpty()) {
            return new EndConfig(Reasons.CONFIG_FAILED, r.getCause() + "; no pod runs the new configuration");
        }
        if (SpecDefaults.rollback(in.spec()) == Rollback.Auto) {
            return new StartConfigRollback(r.getCause(), changed);
        }
        return new EndConfig(Reasons.CONFIG_FAILED, r.getCause() + "; rollback is Manual: " + String.join(", ", changed)
                + " keep config " + r.getDesired());
    }

    private static Action rollback(ConfigRollout r, List<PodObservation> pods) {
        List<String> back = changedStill(r, pods);
        if (!back.isEmpty()) {
            return new ApplyConfig(back, false, true);
        }
        return new EndConfig(Reasons.CONFIG_ROLLED_BACK, "config " + r.getDesired() + " rolled back on "
                + String.join(", ", r.getChanged()) + ": " + r.getCause());
    }

    /** Pods the rollout changed that do not run their previous overrides (again). */
    private static List<String> changedStill(ConfigRollout r, List<PodObservation> pods) {
        return pods.stream().filter(p -> r.getChanged().contains(p.name()))
                .filter(p -> hash(p) != null && !hash(p).equals(r.getPrevious().get(p.name())))
                .map(PodObservation::name).sorted().toList();
    }

    private static String hash(PodObservation p) {
        return p.node() == null || p.node().overrides() == null ? null : ConfigHash.of(p.node().overrides());
    }
}
