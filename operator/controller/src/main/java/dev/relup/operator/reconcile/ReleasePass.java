package dev.relup.operator.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.operator.config.RelupConfig;
import dev.relup.operator.decide.Action;
import dev.relup.operator.Labels;
import dev.relup.operator.decide.Decider;
import dev.relup.operator.observe.ClusterView;
import dev.relup.operator.observe.NodeChanges;
import dev.relup.operator.observe.Observation;
import dev.relup.operator.observe.Observer;
import dev.relup.operator.status.PlanView;
import dev.relup.operator.status.StatusAggregator;
import dev.relup.operator.workload.PolicySettings;
import dev.relup.operator.workload.Workload;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * One reconcile pass over one ErlangRelease, without JOSDK: observe (a {@link ClusterView}, the nodes), decide (one
 * {@link Action}), act, then the next status (written only when it changed) and when to come back (the action's
 * pace). The reconciler feeds it the informers' caches; pass tests feed it a CRUD API and fake nodes.
 */
public final class ReleasePass {

    private static final Logger LOG = Logger.getLogger(ReleasePass.class);

    /** Writes a status; the operator patches it and caches the response, tests keep it. */
    public interface StatusWriter {
        void write(ErlangRelease cr, ErlangReleaseStatus next);
    }

    /** What a pass did: the action carried out (or what it turned into) and when to come back. */
    public record Result(Action action, ErlangReleaseStatus status, Duration requeue) {}

    private final Observer observer;
    private final NodeChanges changes;
    private final Decider decider;
    private final Actuator actuator;
    private final StatusAggregator aggregator = new StatusAggregator();
    private final RelupConfig.Requeue pace;
    private final PolicySettings policy;

    /** @param policy the NetworkPolicy settings the workload is applied with (part of the desired workload hash) */
    public ReleasePass(Observer observer, NodeChanges changes, Decider decider, Actuator actuator,
            RelupConfig.Requeue pace, PolicySettings policy) {
        this.policy = policy;
        this.observer = observer;
        this.changes = changes;
        this.decider = decider;
        this.actuator = actuator;
        this.pace = pace;
    }

    public Result run(ErlangRelease cr, ClusterView view, StatusWriter writer, Writes writes, Instant now) {
        ErlangReleaseStatus previous = cr.getStatus();
        Observation observed = observer.observe(cr, view);
        Action action = decider.decide(new Decider.Input(cr.getMetadata().getName(), cr.getMetadata().getGeneration(),
                cr.getSpec(), previous, observed, Workload.workloadHash(cr, policy), now, Labels.retryToken(cr)));
        LOG.debugf("%s/%s: %s", cr.getMetadata().getNamespace(), cr.getMetadata().getName(), action);

        Progress progress = new Progress(previous);
        Action done;
        try {
            done = actuator.act(cr, action, observed, progress, now, writes);
        } finally {
            changes.changed(cr, action.changesNodes());
        }
        ErlangReleaseStatus next = aggregator.aggregate(cr.getMetadata().getGeneration(), cr.getSpec(), previous, observed,
                new StatusAggregator.PassResult(done, progress.move, progress.history, Optional.ofNullable(progress.fetched),
                        progress.config), now);
        if (changed(previous, next)) {
            writer.write(cr, next);
        }
        if (PlanView.isNew(previous == null ? null : previous.getPlan(), next.getPlan())) {
            actuator.planReady(cr, next.getPlan(), Optional.ofNullable(progress.fetched).or(observed::cachedPackage));
        }
        return new Result(done, next, requeue(done, now));
    }

    private Duration requeue(Action action, Instant now) {
        if (action instanceof Action.RetryLater r) {
            Duration until = Duration.between(now, r.at());
            return until.compareTo(pace.progress()) < 0 ? pace.progress() : until;
        }
        return switch (action.pace()) {
            case AT_ONCE -> pace.progress();
            case WAITING -> pace.busy();
            case IDLE -> pace.idle();
        };
    }

    private static boolean changed(ErlangReleaseStatus before, ErlangReleaseStatus after) {
        return before == null || !Objects.equals(Serialization.asJson(before), Serialization.asJson(after));
    }
}
