package dev.relup.operator.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.MoveRecord;
import dev.relup.api.v1alpha1.MoveResult;
import dev.relup.api.v1alpha1.UpgradePlan;
import dev.relup.operator.Labels;
import dev.relup.operator.packaging.BuildJob;
import dev.relup.operator.packaging.BuildJobs;
import dev.relup.operator.decide.Action;
import dev.relup.operator.decide.Reasons;
import dev.relup.operator.events.Events;
import dev.relup.operator.observe.CachedPackage;
import dev.relup.engine.build.Rehearsal;
import dev.relup.operator.metrics.MoveMetrics;
import dev.relup.operator.observe.Observation;
import dev.relup.operator.observe.NodeReadiness;
import dev.relup.operator.rollout.Backoff;
import dev.relup.operator.rollout.HotBatch;
import dev.relup.operator.workload.WorkloadWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

/** Carries out one {@link Action}: the only place where a pass changes the world (besides the status patch). */
final class Actuator {

    private static final Logger LOG = Logger.getLogger(Actuator.class);

    private final KubernetesClient client;
    private final WorkloadWriter workload;
    private final BuildJobs builds;
    private final BuildJob.Settings buildSettings;
    private final Events events;
    private final MoveMetrics metrics;
    private final NodeActs nodes;
    private final PackageFetch fetches;
    private final ConfigActs config;

    Actuator(KubernetesClient client, WorkloadWriter workload, BuildJobs builds, BuildJob.Settings buildSettings,
            HotBatch batch, Events events, Backoff backoff, MoveMetrics metrics) {
        this.client = client;
        this.workload = workload;
        this.builds = builds;
        this.buildSettings = buildSettings;
        this.events = events;
        this.metrics = metrics;
        this.nodes = new NodeActs(batch, events, backoff, metrics);
        this.fetches = new PackageFetch(builds, events, metrics);
        this.config = new ConfigActs(batch, events);
    }

    /**
     * Says that the plan of a move is published in the status: in the pass that fetched its package, or the first
     * that found it in the cache; before any pod moves either way. A passed rehearsal of its package is told with
     * its timings (a failed one is the move's failure).
     */
    void planReady(ErlangRelease cr, UpgradePlan plan, Optional<CachedPackage> pkg) {
        events.normal(cr, Events.PLAN_READY, plan.getSummary());
        pkg.filter(c -> c.sha256().equals(plan.getPackageSha256())).flatMap(CachedPackage::rehearsed)
                .filter(Rehearsal::passed)
                .ifPresent(r -> events.normal(cr, Events.REHEARSAL_PASSED, "rehearsal of " + plan.getFrom() + " -> "
                        + plan.getTo() + " passed in " + r.millis() + " ms on a throwaway node: " + r.timings()));
    }

    /**
     * Carries out {@code action}; returns it, or {@link Action.Rejected} when the API server refused a change with
     * an error that retrying cannot fix (a move in flight then fails with the server's message).
     */
    Action act(ErlangRelease cr, Action action, Observation obs, Progress p, Instant now) {
        return act(cr, action, obs, p, now, Writes.NONE);
    }

    Action act(ErlangRelease cr, Action action, Observation obs, Progress p, Instant now, Writes writes) {
        try {
            // a fetch whose output is refused is the move's failure, and the pass reports that
            Action done = action instanceof Action.FetchPackage f ? fetches.fetch(cr, f, p, now) : action;
            perform(cr, done, obs, p, now, writes);
            return done;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 400 && e.getCode() != 422) {
                throw e; // conflicts, timeouts, server errors: JOSDK retries the pass
            }
            String message = action.name() + " was refused by the API server (" + e.getCode() + "): "
                    + Optional.ofNullable(e.getStatus()).map(s -> s.getMessage()).orElse(e.getMessage());
            events.warningRepeated(cr, Events.API_REJECTED, action.name(), message, now);
            if (p.move != null && p.move.getFailure() == null) {
                perform(cr, new Action.FailMove(Reasons.API_REJECTED, message), obs, p, now, writes);
            }
            return new Action.Rejected(message);
        }
    }

    private void perform(ErlangRelease cr, Action action, Observation obs, Progress p, Instant now, Writes writes) {
        String ns = cr.getMetadata().getNamespace();
        if (ConfigActs.handles(action)) {
            config.act(cr, action, obs, p, now);
        } else if (action instanceof Action.ApplyWorkload a) {
            writes.statefulSet(workload.apply(cr, a.templateImage()));
            if (!obs.statefulSetPresent() || !a.templateImage().equals(obs.templateImage())) {
                events.normal(cr, Events.WORKLOAD_APPLIED, "StatefulSet pod template on " + a.templateImage() + ": " + a.why());
            }
        } else if (action instanceof Action.Wait w && w.warnAbout() != null) {
            events.warningRepeated(cr, Events.NODE_UNREACHABLE, w.warnAbout(), w.message(), now);
        } else if (action instanceof Action.Wait || action instanceof Action.Idle || action instanceof Action.RetryLater
                || action instanceof Action.Rejected || action instanceof Action.Stuck
                || action instanceof Action.FetchPackage) {
            return; // nothing (more) to change in the world: act() fetched the package
        } else if (action instanceof Action.SetNodeReady r) {
            r.pods().forEach((pod, serving) -> nodeReady(ns, pod, serving, obs, now));
        } else if (action instanceof Action.StartMove s) {
            p.move = s.move();
            events.normal(cr, Events.MOVE_STARTED, "moving from " + s.move().getFrom() + " to " + s.move().getTo()
                    + " (strategy " + cr.getSpec().getStrategy() + ")");
        } else if (action instanceof Action.StartBuild b) {
            writes.job(builds.create(BuildJob.desired(cr, p.move, b.jobName(), buildSettings)));
            metrics.buildStarted(b.jobName(), now);
            p.move.setBuildJob(b.jobName());
            p.move.setPackageSha256(null);
            events.normal(cr, Events.BUILD_STARTED, "Job " + b.jobName() + " builds the relup package "
                    + p.move.getFrom() + " -> " + p.move.getTo() + " from " + p.move.getFromImage() + " and " + p.move.getToImage());
        } else if (action instanceof Action.ChooseMethod c) {
            p.move.setMethod(c.method());
            p.move.clearError();
            if (c.fallback()) {
                events.warning(cr, Events.RESTART_FALLBACK, c.message());
            } else {
                events.normal(cr, Events.METHOD_CHOSEN, c.method() + ": " + c.message());
            }
        } else if (action instanceof Action.HotMove h) {
            nodes.hotMove(cr, h, obs, p.move, now);
        } else if (action instanceof Action.Verify v) {
            nodes.verify(cr, v, obs, p.move, now);
        } else if (action instanceof Action.Soak s) {
            nodes.soak(cr, s, obs, p.move, now);
        } else if (action instanceof Action.StartRollback r) {
            p.move.setRollbackCause(r.cause());
            p.move.clearError();
            events.warning(cr, Events.ROLLING_BACK, r.cause() + "; moving " + String.join(", ", r.moved()) + " back to "
                    + p.move.getFrom() + " in place");
        } else if (action instanceof Action.EndRollback e) {
            ended(cr, p, Reasons.ROLLED_BACK, e.message(), MoveResult.RolledBack, now);
        } else if (action instanceof Action.DeletePods d) {
            for (String pod : d.pods()) {
                client.pods().inNamespace(ns).withName(pod).delete();
                events.normal(cr, Events.POD_RESTARTED, "deleted pod " + pod + (d.canary() ? " (canary)" : "")
                        + " so that it comes back on " + p.move.getToImage() + " (" + p.move.getTo() + ")");
            }
        } else if (action instanceof Action.Reroute r) {
            p.move = r.hop();
            events.normal(cr, Events.ROUTE_PLANNED, r.message());
        } else if (action instanceof Action.NextHop n) {
            Move m = p.move;
            p.history.add(new MoveRecord(m.getFrom(), m.getTo(), m.getMethod(), m.getStartedAt(), now.toString(),
                    MoveResult.Succeeded, n.message()));
            metrics.moveEnded(m.getMethod(), MoveResult.Succeeded, m.getStartedAt(), now);
            p.move = n.next();
            events.normal(cr, Events.HOP_SUCCEEDED, m.getFrom() + " -> " + m.getTo() + " (" + m.getMethod() + "): "
                    + n.message());
        } else if (action instanceof Action.FinishMove f) {
            Move m = p.move;
            if (m.getFailure() == null) { // a failed move got its history entry when it failed
                p.history.add(new MoveRecord(m.getFrom(), m.getTo(), m.getMethod(), m.getStartedAt(), now.toString(),
                        f.result(), f.message()));
            }
            p.move = null;
            if (m.getFailure() == null) {
                metrics.moveEnded(m.getMethod(), f.result(), m.getStartedAt(), now);
            }
            if (f.result() == MoveResult.Succeeded) {
                events.normal(cr, Events.UPGRADE_SUCCEEDED, m.getFrom() + " -> " + m.getTo() + " ("
                        + (m.getMethod() == null ? "nothing to move" : m.getMethod()) + "): " + f.message());
            } else if (f.result() == MoveResult.Superseded) {
                events.normal(cr, Events.MOVE_SUPERSEDED, m.getFrom() + " -> " + m.getTo() + " superseded: " + f.message());
            }
        } else if (action instanceof Action.FailMove f) {
            ended(cr, p, f.reason(), f.message(), MoveResult.Failed, now);
        }
    }

    /**
     * The move stops for good: Degraded with {@code reason} until the spec (or the retry annotation) changes; its
     * history entry is written now.
     */
    private void ended(ErlangRelease cr, Progress p, String reason, String message, MoveResult result, Instant now) {
        p.move.setFailure(message);
        p.move.setFailureReason(reason);
        p.move.setRetryToken(Labels.retryToken(cr));
        p.history.add(new MoveRecord(p.move.getFrom(), p.move.getTo(), p.move.getMethod(), p.move.getStartedAt(),
                now.toString(), result, reason + ": " + message));
        metrics.moveEnded(p.move.getMethod(), result, p.move.getStartedAt(), now);
        events.warning(cr, result == MoveResult.RolledBack ? Events.ROLLED_BACK : Events.UPGRADE_FAILED,
                reason + ": " + message + "; " + Labels.RETRY + " (a new value) or a spec change tries again");
    }

    /** The readiness gate condition, merged by type into the pod's conditions (pods/status). */
    private void nodeReady(String ns, String pod, boolean serving, Observation obs, Instant now) {
        String why = serving ? "the Erlang node answers and its applications run"
                : obs.pod(pod).map(p -> p.node() == null ? "not observed"
                        : p.node().reachable() ? "the Erlang node is still booting" : "the Erlang node does not answer: "
                                + p.node().error()).orElse("not observed");
        Map<String, Object> condition = Map.of("type", NodeReadiness.CONDITION, "status", serving ? "True" : "False",
                "reason", serving ? "NodeServing" : "NodeNotServing", "message", why,
                "lastTransitionTime", now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        client.pods().inNamespace(ns).withName(pod).subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                Serialization.asJson(Map.of("status", Map.of("conditions", List.of(condition)))));
    }
}
