package dev.relup.operator.reconcile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.MoveRecord;
import dev.relup.api.v1alpha1.MoveResult;
import dev.relup.operator.build.BuildJob;
import dev.relup.operator.build.BuildJobs;
import dev.relup.operator.decide.Action;
import dev.relup.operator.events.Events;
import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.node.NodeRef;
import dev.relup.operator.observe.CachedPackage;
import dev.relup.operator.observe.Observation;
import dev.relup.operator.observe.Observer;
import dev.relup.operator.rollout.HotMover;
import dev.relup.operator.workload.WorkloadApplier;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Carries out one {@link Action}: the only place where a pass changes the world (besides the status patch). */
final class Actuator {

    private static final Logger LOG = Logger.getLogger(Actuator.class);

    private final KubernetesClient client;
    private final WorkloadApplier workload;
    private final BuildJobs builds;
    private final BuildJob.Settings buildSettings;
    private final HotMover hotMover;
    private final Observer observer;
    private final Events events;

    Actuator(KubernetesClient client, WorkloadApplier workload, BuildJobs builds, BuildJob.Settings buildSettings,
            HotMover hotMover, Observer observer, Events events) {
        this.client = client;
        this.workload = workload;
        this.builds = builds;
        this.buildSettings = buildSettings;
        this.hotMover = hotMover;
        this.observer = observer;
        this.events = events;
    }

    void act(ErlangRelease cr, Action action, Observation obs, Progress p, Instant now) {
        String ns = cr.getMetadata().getNamespace();
        if (action instanceof Action.ApplyWorkload a) {
            workload.apply(cr, a.templateImage());
            if (!obs.statefulSetPresent() || !a.templateImage().equals(obs.templateImage())) {
                events.normal(cr, Events.WORKLOAD_APPLIED, "StatefulSet pod template on " + a.templateImage() + ": " + a.why());
            }
        } else if (action instanceof Action.Wait || action instanceof Action.Idle) {
            return; // nothing to change in the world
        } else if (action instanceof Action.StartMove s) {
            p.move = s.move();
            events.normal(cr, Events.MOVE_STARTED, "moving from " + s.move().getFrom() + " to " + s.move().getTo()
                    + " (strategy " + cr.getSpec().getStrategy() + ")");
        } else if (action instanceof Action.StartBuild b) {
            builds.create(BuildJob.desired(cr, p.move, b.jobName(), buildSettings));
            p.move.setBuildJob(b.jobName());
            p.move.setPackageSha256(null);
            events.normal(cr, Events.BUILD_STARTED, "Job " + b.jobName() + " builds the relup package "
                    + p.move.getFrom() + " -> " + p.move.getTo() + " from " + p.move.getFromImage() + " and " + p.move.getToImage());
        } else if (action instanceof Action.FetchPackage f) {
            try {
                CachedPackage c = builds.fetch(ns, f.jobName());
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
            p.move.setLastError(null);
            p.move.setLastErrorKind(null);
            if (c.fallback()) {
                events.warning(cr, Events.RESTART_FALLBACK, c.message());
            } else {
                events.normal(cr, Events.METHOD_CHOSEN, c.method() + ": " + c.message());
            }
        } else if (action instanceof Action.HotMove h) {
            hotMove(cr, h, obs, p);
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
            if (f.result() == MoveResult.Succeeded) {
                p.lastStableVersion = m.getTo();
                events.normal(cr, Events.UPGRADE_SUCCEEDED, m.getFrom() + " -> " + m.getTo() + " ("
                        + (m.getMethod() == null ? "nothing to move" : m.getMethod()) + "): " + f.message());
            } else if (f.result() == MoveResult.Superseded) {
                events.normal(cr, Events.MOVE_SUPERSEDED, m.getFrom() + " -> " + m.getTo() + " superseded: " + f.message());
            }
        } else if (action instanceof Action.FailMove f) {
            p.move.setFailure(f.message());
            p.move.setFailureReason(f.reason());
            p.history.add(new MoveRecord(p.move.getFrom(), p.move.getTo(), p.move.getMethod(), p.move.getStartedAt(),
                    now.toString(), MoveResult.Failed, f.reason() + ": " + f.message()));
            events.warning(cr, Events.UPGRADE_FAILED, f.reason() + ": " + f.message());
        }
    }

    private void hotMove(ErlangRelease cr, Action.HotMove h, Observation obs, Progress p) {
        Move m = p.move;
        Optional<Path> pkg = obs.cachedPackage().map(CachedPackage::file);
        for (String pod : h.pods()) {
            Optional<NodeRef> ref = observer.nodeRef(cr, pod);
            if (ref.isEmpty()) {
                m.setLastError(pod + ": no pod IP or cookie yet");
                m.setLastErrorKind(NodeFailure.Kind.UNREACHABLE.name());
                return;
            }
            try {
                HotMover.Outcome o = hotMover.move(ref.get(), m.getTo(), pkg);
                if (!m.getPodsDone().contains(pod)) {
                    m.getPodsDone().add(pod);
                }
                m.setLastError(null);
                m.setLastErrorKind(null);
                if (o.alreadyThere()) {
                    continue; // a pass on a stale status: nothing was done, nothing to tell
                }
                String what = o.installed() ? (o.transferred() ? "package copied, " : "") + "installed and made permanent"
                        : "made permanent (it already ran it)";
                events.normal(cr, Events.POD_UPGRADED, "pod " + pod + (h.canary() ? " (canary)" : "") + ": "
                        + m.getFrom() + " -> " + m.getTo() + " in place, " + what + " in " + o.millis() + " ms");
            } catch (NodeFailure e) {
                LOG.warnf("%s/%s: hot step on %s failed: %s %s", cr.getMetadata().getNamespace(), cr.getMetadata().getName(),
                        pod, e.kind(), e.getMessage());
                m.setLastError(e.getMessage());
                m.setLastErrorKind(e.kind().name());
                events.warning(cr, Events.STEP_FAILED, "pod " + pod + ": " + e.kind() + ": " + e.getMessage());
                return;
            }
        }
    }
}
