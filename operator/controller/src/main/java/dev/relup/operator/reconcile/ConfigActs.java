package dev.relup.operator.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.relup.api.v1alpha1.ConfigRejection;
import dev.relup.api.v1alpha1.ConfigRollout;
import dev.relup.api.v1alpha1.ConfigStatus;
import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.HealthCheck;
import dev.relup.engine.config.AppChange;
import dev.relup.operator.Labels;
import dev.relup.operator.decide.Action;
import dev.relup.operator.decide.Reasons;
import dev.relup.operator.events.Events;
import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.node.NodeRef;
import dev.relup.operator.node.ReleaseNodes;
import dev.relup.operator.observe.ConfigHash;
import dev.relup.operator.observe.Observation;
import dev.relup.operator.observe.PodObservation;
import dev.relup.operator.rollout.HotBatch;

/**
 * Carries out the live configuration actions of {@code ConfigSteps} on the nodes and records them in
 * {@link Progress#config}: what a node made of spec.config, the rollout (pods changed, what each ran before, which
 * passed their check) and why it cannot go on. What happens after a failure is the decider's call.
 */
final class ConfigActs {

    private final HotBatch batch;
    private final Events events;

    ConfigActs(HotBatch batch, Events events) {
        this.batch = batch;
        this.events = events;
    }

    static boolean handles(Action a) {
        return a instanceof Action.ValidateConfig || a instanceof Action.ApplyConfig || a instanceof Action.VerifyConfig
                || a instanceof Action.StartConfigRollback || a instanceof Action.EndConfig || a instanceof Action.ConfigHeld;
    }

    void act(ErlangRelease cr, Action action, Observation obs, Progress p, Instant now) {
        ConfigStatus c = p.config;
        if (action instanceof Action.ValidateConfig v) {
            validate(cr, v, obs, c, now);
        } else if (action instanceof Action.ApplyConfig a) {
            apply(cr, a, obs, c, now);
        } else if (action instanceof Action.VerifyConfig v) {
            verify(cr, v, obs, c.getRollout());
        } else if (action instanceof Action.StartConfigRollback r) {
            c.getRollout().setRollingBack(true);
            events.warning(cr, Events.CONFIG_ROLLING_BACK, r.cause() + "; giving " + String.join(", ", r.changed())
                    + " their previous configuration back");
        } else if (action instanceof Action.EndConfig e) {
            end(cr, e, c);
        }
    }

    private void validate(ErlangRelease cr, Action.ValidateConfig v, Observation obs, ConfigStatus c, Instant now) {
        Optional<NodeRef> ref = obs.pod(v.pod()).flatMap(PodObservation::nodeRef);
        if (ref.isEmpty()) {
            return;
        }
        ReleaseNodes.ConfigVerdict verdict;
        try {
            verdict = batch.validateConfig(ref.get(), v.text());
        } catch (NodeFailure f) {
            events.warningRepeated(cr, Events.CONFIG_APPLY_FAILED, v.pod(), "validating spec.config on pod " + v.pod()
                    + " failed: " + f.kind() + ": " + f.getMessage(), now);
            return;
        }
        c.setSpec(ConfigHash.of(v.text()));
        if (verdict.accepted()) {
            c.setDesired(ConfigHash.of(verdict.canonical()));
            c.setRejected(null);
        } else {
            c.setDesired(null);
            c.setRejected(new ConfigRejection(v.text(), verdict.reason(), now.toString()));
            events.warning(cr, Events.CONFIG_REJECTED, "spec.config rejected by the node of " + v.pod() + ": "
                    + verdict.reason() + "; no pod was changed");
        }
    }

    private void apply(ErlangRelease cr, Action.ApplyConfig a, Observation obs, ConfigStatus c, Instant now) {
        String specText = ConfigHash.blank(cr.getSpec().getConfig()) ? ConfigHash.NONE : cr.getSpec().getConfig();
        if (ConfigHash.blank(cr.getSpec().getConfig())) {
            c.setSpec(ConfigHash.of(cr.getSpec().getConfig()));
            c.setDesired(ConfigHash.of(ConfigHash.NONE));
        }
        ConfigRollout r = c.getRollout();
        if (!a.back() && (r == null || r.getFailure() != null || !c.getDesired().equals(r.getDesired()))) {
            r = new ConfigRollout();
            r.setSpec(c.getSpec());
            r.setDesired(c.getDesired());
            r.setStartedAt(now.toString());
            c.setRollout(r);
        }
        ConfigRollout rollout = r;
        List<NodeRef> refs = new ArrayList<>();
        for (String pod : a.pods()) {
            obs.pod(pod).flatMap(PodObservation::nodeRef).ifPresent(refs::add);
        }
        for (HotBatch.PodConfig pc : batch.applyConfig(refs,
                pod -> a.back() ? rollout.getTexts().get(rollout.getPrevious().get(pod)) : specText)) {
            if (pc.failure() != null) {
                String why = "pod " + pc.pod() + ": " + (a.back() ? "giving back its previous config" : "applying config "
                        + rollout.getDesired()) + " failed: " + pc.failure().kind() + ": " + pc.failure().getMessage();
                events.warning(cr, Events.CONFIG_APPLY_FAILED, why);
                if (a.back()) {
                    fail(cr, rollout, Reasons.CONFIG_FAILED, why + "; rolling back " + rollout.getDesired() + " after: "
                            + rollout.getCause());
                } else if (rollout.getCause() == null) {
                    rollout.setCause(why);
                }
                continue;
            }
            applied(cr, a, rollout, pc.pod(), pc.applied());
        }
    }

    private void applied(ErlangRelease cr, Action.ApplyConfig a, ConfigRollout r, String pod, ReleaseNodes.ConfigApplied done) {
        String before = ConfigHash.of(done.previous());
        if (!a.back()) {
            r.getPrevious().putIfAbsent(pod, before);
            r.getTexts().putIfAbsent(before, done.previous());
            if (!r.getChanged().contains(pod)) {
                r.getChanged().add(pod);
            }
        }
        events.normal(cr, Events.CONFIG_APPLIED, "pod " + pod + (a.canary() ? " (canary)" : "")
                + (a.back() ? " (rollback)" : "") + ": config " + before + " -> " + ConfigHash.of(done.next())
                + " in place in " + done.report().vsn() + ": " + describe(done.report().apps()));
        List<AppChange> failed = done.report().failedCallbacks();
        if (!a.back() && !failed.isEmpty() && r.getCause() == null) {
            r.setCause("pod " + pod + ": " + failed.stream().map(f -> f.app() + ":config_change/3 failed: "
                    + f.callback().detail()).collect(Collectors.joining("; ")));
        }
    }

    private void verify(ErlangRelease cr, Action.VerifyConfig v, Observation obs, ConfigRollout r) {
        HealthCheck check = cr.getSpec().getHealthCheck();
        List<NodeRef> refs = new ArrayList<>();
        for (String pod : v.pods()) {
            obs.pod(pod).flatMap(PodObservation::nodeRef).ifPresent(refs::add);
        }
        for (HotBatch.PodCheck pc : batch.check(refs, check)) {
            String problem = pc.failure() != null ? "does not answer its health check (" + pc.failure().getMessage() + ")"
                    : !pc.answer().passed() ? "health check " + check.describe() + " answered " + pc.answer().answer()
                    : null;
            if (problem == null) {
                r.getHealthy().add(pc.pod());
                events.normal(cr, Events.HEALTH_CHECK_PASSED, "pod " + pc.pod() + " on config " + r.getDesired()
                        + ": health check " + check.describe() + " answered " + pc.answer().answer());
            } else if (r.getCause() == null) {
                r.setCause("pod " + pc.pod() + ": " + problem + " after its config change to " + r.getDesired());
            }
        }
    }

    private void end(ErlangRelease cr, Action.EndConfig e, ConfigStatus c) {
        ConfigRollout r = c.getRollout();
        if (e.reason() == null) {
            c.setRollout(null);
            events.normal(cr, Events.CONFIG_ROLLED_OUT, e.message());
        } else {
            fail(cr, r, e.reason(), e.message());
        }
    }

    private void fail(ErlangRelease cr, ConfigRollout r, String reason, String message) {
        r.setFailure(message);
        r.setFailureReason(reason);
        r.setRetryToken(Labels.retryToken(cr));
        events.warning(cr, Reasons.CONFIG_ROLLED_BACK.equals(reason) ? Events.CONFIG_ROLLED_BACK : Events.CONFIG_FAILED,
                reason + ": " + message + "; a new spec.config or " + Labels.RETRY + " (a new value) tries again");
    }

    /** Per application: what changed, was added and removed, and what its config_change/3 made of it. */
    static String describe(List<AppChange> apps) {
        if (apps.isEmpty()) {
            return "no application's env changed";
        }
        return apps.stream().map(a -> a.app() + " " + (a.changed().isEmpty() ? "" : "changed " + a.changed() + " ")
                + (a.added().isEmpty() ? "" : "added " + a.added() + " ")
                + (a.removed().isEmpty() ? "" : "removed " + a.removed() + " ")
                + "config_change " + a.callback().outcome() + (a.callback().detail() == null || a.callback().detail().isEmpty()
                        ? "" : " (" + a.callback().detail() + ")")).collect(Collectors.joining("; "));
    }
}
