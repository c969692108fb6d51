package dev.relup.operator.reconcile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.MoveRecord;
import dev.relup.api.v1alpha1.MoveResult;
import dev.relup.engine.upgrade.Step;
import dev.relup.engine.upgrade.StepTiming;
import dev.relup.operator.Labels;
import dev.relup.operator.packaging.BuildJob;
import dev.relup.operator.packaging.BuildJobs;
import dev.relup.operator.decide.Action;
import dev.relup.operator.decide.Reasons;
import dev.relup.operator.events.Events;
import dev.relup.operator.metrics.MoveMetrics;
import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.node.NodeRef;
import dev.relup.operator.observe.CachedPackage;
import dev.relup.operator.observe.Observation;
import dev.relup.operator.observe.NodeReadiness;
import dev.relup.operator.observe.PodObservation;
import dev.relup.operator.rollout.Backoff;
import dev.relup.operator.rollout.FaultPoint;
import dev.relup.operator.rollout.HotBatch;
import dev.relup.operator.rollout.HotMover;
import dev.relup.operator.rollout.StepLog;
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
    private final HotBatch batch;
    private final Events events;
    private final FaultPoint faults;
    private final Backoff backoff;
    private final MoveMetrics metrics;
    private final StepLog log = new StepLog();
    private final MoveChecks checks;
    private final ConfigActs config;

    Actuator(KubernetesClient client, WorkloadWriter workload, BuildJobs builds, BuildJob.Settings buildSettings,
            HotBatch batch, Events events, FaultPoint faults, Backoff backoff, MoveMetrics metrics) {
        this.client = client;
        this.workload = workload;
        this.builds = builds;
        this.buildSettings = buildSettings;
        this.batch = batch;
        this.events = events;
        this.faults = faults;
        this.backoff = backoff;
        this.metrics = metrics;
        this.checks = new MoveChecks(batch, events);
        this.config = new ConfigActs(batch, events);
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
            perform(cr, action, obs, p, now, writes);
            return action;
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
                || action instanceof Action.Rejected || action instanceof Action.Stuck) {
            return; // nothing to change in the world
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
        } else if (action instanceof Action.FetchPackage f) {
            try {
                CachedPackage c = builds.fetch(ns, f.jobName(), f.podName());
                metrics.buildFetched(f.jobName(), now);
                p.move.setPackageSha256(c.sha256());
                p.move.setNotHotReasons(new java.util.ArrayList<>(c.reasons()));
                events.normal(cr, Events.PACKAGE_READY, "package " + c.release() + " " + c.from() + " -> " + c.to()
                        + " sha256 " + c.sha256() + (c.hot() ? ", hot-upgradable" : ", not hot: " + String.join("; ", c.reasons())));
            } catch (IOException e) {
                events.warning(cr, Events.STEP_FAILED, "copying the package out of Job " + f.jobName() + " failed: " + e.getMessage());
                throw new IllegalStateException(e.getMessage(), e);
            }
        } else if (action instanceof Action.ChooseMethod c) {
            p.move.setMethod(c.method());
            p.move.clearError();
            if (c.fallback()) {
                events.warning(cr, Events.RESTART_FALLBACK, c.message());
            } else {
                events.normal(cr, Events.METHOD_CHOSEN, c.method() + ": " + c.message());
            }
        } else if (action instanceof Action.HotMove h) {
            hotMove(cr, h, obs, p, now);
        } else if (action instanceof Action.Verify v) {
            checked(cr, p.move, checks.verify(cr, v, obs, p.move, now), now);
        } else if (action instanceof Action.Soak s) {
            checked(cr, p.move, checks.soak(cr, s, obs, p.move), now);
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

    private void checked(ErlangRelease cr, Move m, Map<String, NodeFailure> failures, Instant now) {
        failures.forEach((pod, f) -> failed(cr, m, pod, f, now));
        if (failures.isEmpty()) {
            m.clearError();
        }
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

    private void hotMove(ErlangRelease cr, Action.HotMove h, Observation obs, Progress p, Instant now) {
        Move m = p.move;
        Optional<Path> pkg = obs.cachedPackage().map(CachedPackage::file);
        List<NodeRef> refs = new ArrayList<>();
        for (String pod : h.pods()) {
            Optional<NodeRef> ref = obs.pod(pod).flatMap(PodObservation::nodeRef);
            if (ref.isEmpty()) {
                failed(cr, m, pod, new NodeFailure(NodeFailure.Kind.UNREACHABLE, pod + ": no pod IP or cookie yet"), now);
                return;
            }
            refs.add(ref.get());
        }
        boolean back = !h.to().equals(m.getTo());
        String moveKey = cr.getMetadata().getUid() + "/" + m.getFrom() + "->" + m.getTo() + (back ? "/back" : "");
        boolean anyFailed = false;
        for (HotBatch.PodStep r : batch.step(refs, h.to(), back ? Optional.empty() : pkg)) {
            if (r.failed()) {
                anyFailed = true;
                LOG.warnf("%s/%s: hot step on %s failed: %s %s", cr.getMetadata().getNamespace(),
                        cr.getMetadata().getName(), r.pod(), r.failure().kind(), r.failure().getMessage());
                failed(cr, m, r.pod(), r.failure(), now);
                continue;
            }
            stepped(cr, m, h, StepLog.key(moveKey, r.pod()), r.outcome());
        }
        if (!anyFailed) {
            m.clearError();
        }
    }

    private void stepped(ErlangRelease cr, Move m, Action.HotMove h, String key, HotMover.Outcome o) {
        String pod = o.pod();
        if (o.step() == Step.DONE) {
            return; // the node needed nothing (a stale observation)
        }
        boolean firstHere = log.steps(key).isEmpty();
        log.add(key, o.done().timings());
        o.done().timings().forEach(metrics::step);
        if (firstHere && (o.step() == Step.MAKE_PERMANENT || o.step() == Step.COPY_START_SCRIPT)) {
            events.normal(cr, Events.POD_TAKEN_OVER, "pod " + pod + " already ran " + m.getTo()
                    + " when this operator took over (installed by an earlier run, not installed again); finishing with "
                    + describe(o.step()));
        }
        faults.after(o.step(), pod);
        if (o.finished()) {
            List<StepTiming> steps = log.steps(key);
            boolean installedHere = log.did(key, Step.INSTALL);
            boolean back = !h.to().equals(m.getTo());
            events.normal(cr, back ? Events.POD_ROLLED_BACK : Events.POD_UPGRADED, "pod " + pod
                    + (h.canary() ? " (canary)" : "") + ": " + (back ? m.getTo() + " -> " + m.getFrom() + " (rollback)"
                    : m.getFrom() + " -> " + m.getTo()) + " in place, " + (installedHere ? "installed" : "finished")
                    + " and made permanent: " + timings(steps));
            log.forget(key);
        }
    }

    private void failed(ErlangRelease cr, Move m, String pod, NodeFailure e, Instant now) {
        String error = e.getMessage();
        int attempts = (m.getFailedAttempts() == null ? 0 : m.getFailedAttempts()) + 1;
        m.setLastError(error);
        m.setLastErrorKind(e.kind().name());
        m.setFailedAttempts(attempts);
        m.setRetryAt(backoff.retryAt(now, attempts).toString());
        metrics.stepFailed(e.kind().name());
        if (e.nodeRestarted() && !m.getRestartedPods().contains(pod)) {
            m.getRestartedPods().add(pod);
            events.warning(cr, Events.NODE_RESTARTED, "pod " + pod + ": its node restarted during the failed step"
                    + " (release_handler restarts the emulator when an install crashes) and runs its permanent release"
                    + " again: the pod and its container are the same, its in-memory state is lost");
        }
        events.warningRepeated(cr, Events.STEP_FAILED, pod, "pod " + pod + ": " + e.kind() + ": " + error
                + " (attempt " + attempts + ", next at " + m.getRetryAt() + ")", now);
    }

    private static String describe(Step step) {
        return step == Step.COPY_START_SCRIPT ? "the start script copy" : "make_permanent and the start script copy";
    }

    private static String timings(List<StepTiming> steps) {
        List<String> parts = new ArrayList<>();
        long total = 0;
        for (StepTiming t : steps) {
            if (t.step() != Step.CHECK_PATH) {
                parts.add(t.step().name().toLowerCase(java.util.Locale.ROOT) + " " + t.millis() + " ms");
            }
            total += t.millis();
        }
        return String.join(", ", parts) + " (" + total + " ms with path checks)";
    }
}
