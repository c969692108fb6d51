package dev.relup.operator.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.Move;
import dev.relup.engine.upgrade.Step;
import dev.relup.engine.upgrade.StepTiming;
import dev.relup.operator.decide.Action;
import dev.relup.operator.events.Events;
import dev.relup.operator.metrics.MoveMetrics;
import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.node.NodeRef;
import dev.relup.operator.node.PackageFile;
import dev.relup.operator.observe.Observation;
import dev.relup.operator.rollout.Backoff;
import dev.relup.operator.rollout.HotBatch;
import dev.relup.operator.rollout.HotMover;
import dev.relup.operator.rollout.StepLog;

/**
 * The actions of a hot move that talk to the nodes: a pod's next engine steps ({@link Action.HotMove}), the checks
 * after a pod's move and during the canary's soak. What they did goes into the move (errors with their backoff,
 * pods found healthy) and into events; a failure is recorded as the pod's failed step, for the decider to act on.
 */
final class NodeActs {

    private static final Logger LOG = Logger.getLogger(NodeActs.class);

    private final HotBatch batch;
    private final Events events;
    private final Backoff backoff;
    private final MoveMetrics metrics;
    private final StepLog log = new StepLog();
    private final MoveChecks checks;

    NodeActs(HotBatch batch, Events events, Backoff backoff, MoveMetrics metrics) {
        this.batch = batch;
        this.events = events;
        this.backoff = backoff;
        this.metrics = metrics;
        this.checks = new MoveChecks(batch, events);
    }

    void verify(ErlangRelease cr, Action.Verify v, Observation obs, Move m, Instant now) {
        checked(cr, m, checks.verify(cr, v, obs, m, now), now);
    }

    void soak(ErlangRelease cr, Action.Soak s, Observation obs, Move m, Instant now) {
        checked(cr, m, checks.soak(cr, s, obs, m), now);
    }

    private void checked(ErlangRelease cr, Move m, Map<String, NodeFailure> failures, Instant now) {
        failures.forEach((pod, f) -> failed(cr, m, pod, f, now));
        if (failures.isEmpty()) {
            m.clearError();
        }
    }

    void hotMove(ErlangRelease cr, Action.HotMove h, Observation obs, Move m, Instant now) {
        // the sha256 recorded at fetch time: the node layer checks the file against it right before a transfer
        Optional<PackageFile> pkg = obs.cachedPackage().map(c -> new PackageFile(c.file(),
                m.getPackageSha256() != null ? m.getPackageSha256() : c.sha256()));
        Map<String, NodeFailure> missing = new java.util.LinkedHashMap<>();
        List<NodeRef> refs = MoveChecks.refs(h.pods(), obs, missing);
        if (!missing.isEmpty()) {
            var first = missing.entrySet().iterator().next();
            failed(cr, m, first.getKey(), first.getValue(), now);
            return;
        }
        boolean back = !h.to().equals(m.getTo());
        // per move (a later move between the same versions starts a new log)
        String moveKey = cr.getMetadata().getUid() + "/" + m.getFrom() + "->" + m.getTo() + "@" + m.getStartedAt()
                + (back ? "/back" : "");
        boolean anyFailed = false;
        for (HotMover.Steps r : batch.step(refs, h.to(), back ? Optional.empty() : pkg)) {
            for (HotMover.Outcome o : r.done()) {
                stepped(cr, m, h, StepLog.key(moveKey, r.pod()), o);
            }
            if (r.failed()) {
                anyFailed = true;
                LOG.warnf("%s/%s: hot step on %s failed: %s %s", cr.getMetadata().getNamespace(),
                        cr.getMetadata().getName(), r.pod(), r.failure().kind(), r.failure().getMessage());
                failed(cr, m, r.pod(), r.failure(), now);
            }
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
