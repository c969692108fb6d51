package dev.relup.operator.reconcile;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.operator.Labels;
import dev.relup.operator.packaging.BuildJob;
import dev.relup.operator.packaging.BuildJobs;
import dev.relup.operator.packaging.PackageCache;
import dev.relup.operator.config.RelupConfig;
import dev.relup.operator.decide.Action;
import dev.relup.operator.decide.Decider;
import dev.relup.operator.events.KubernetesEvents;
import dev.relup.operator.metrics.MoveMetrics;
import dev.relup.operator.node.ReleaseNodes;
import dev.relup.operator.observe.Observation;
import dev.relup.operator.observe.Observer;
import dev.relup.engine.upgrade.Step;
import dev.relup.operator.rollout.Backoff;
import dev.relup.operator.rollout.FaultPoint;
import dev.relup.operator.rollout.HotBatch;
import dev.relup.operator.rollout.HotMover;
import dev.relup.operator.status.StatusAggregator;
import dev.relup.operator.workload.Workload;
import dev.relup.operator.workload.WorkloadApplier;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.quarkiverse.operatorsdk.annotations.RBACRule;
import io.quarkiverse.operatorsdk.annotations.RBACVerbs;

/**
 * Moves the pods of an ErlangRelease to the version its spec asks for. Each pass:
 * <ol>
 *   <li>observe: StatefulSet, pods, each node's which_releases, the build Job and cached package of the move;</li>
 *   <li>decide: one {@link Action} ({@link Decider}, a pure function);</li>
 *   <li>act: carry it out ({@link Actuator});</li>
 *   <li>status: aggregate and patch it only when it changed, caching the response for the next pass;</li>
 *   <li>requeue: at once after a step that moved things on, every {@code relup.requeue.busy} while waiting for
 *       something outside, every {@code relup.requeue.idle} when all is well (catches nodes that came back on
 *       another version even without a pod event).</li>
 * </ol>
 */
@ControllerConfiguration(name = ErlangReleaseReconciler.NAME)
@RBACRule(apiGroups = "", resources = {"pods"}, verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH, RBACVerbs.DELETE})
@RBACRule(apiGroups = "", resources = {"pods/exec"}, verbs = {RBACVerbs.CREATE, RBACVerbs.GET})
@RBACRule(apiGroups = "", resources = {"pods/log"}, verbs = {RBACVerbs.GET})
@RBACRule(apiGroups = "", resources = {"services", "secrets"}, verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH,
        RBACVerbs.CREATE, RBACVerbs.UPDATE, RBACVerbs.PATCH})
@RBACRule(apiGroups = "", resources = {"events"}, verbs = {RBACVerbs.CREATE, RBACVerbs.PATCH})
@RBACRule(apiGroups = "apps", resources = {"statefulsets"}, verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH,
        RBACVerbs.CREATE, RBACVerbs.UPDATE, RBACVerbs.PATCH, RBACVerbs.DELETE})
@RBACRule(apiGroups = "coordination.k8s.io", resources = {"leases"}, verbs = {RBACVerbs.GET, RBACVerbs.CREATE,
        RBACVerbs.UPDATE})
@RBACRule(apiGroups = "batch", resources = {"jobs"}, verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH,
        RBACVerbs.CREATE, RBACVerbs.DELETE})
public class ErlangReleaseReconciler implements Reconciler<ErlangRelease> {

    public static final String NAME = "erlangrelease";
    private static final Logger LOG = Logger.getLogger(ErlangReleaseReconciler.class);

    private final Observer observer;
    private final Decider decider;
    private final Actuator actuator;
    private final StatusAggregator aggregator = new StatusAggregator();
    private final RelupConfig config;
    private final MoveMetrics metrics;
    private final Clock clock;

    @Inject
    public ErlangReleaseReconciler(KubernetesClient client, ReleaseNodes nodes, RelupConfig config, MeterRegistry registry) {
        this(client, nodes, config, new MoveMetrics(registry), Clock.systemUTC());
    }

    ErlangReleaseReconciler(KubernetesClient client, ReleaseNodes nodes, RelupConfig config, MoveMetrics metrics,
            Clock clock) {
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.decider = new Decider(new Decider.Deadlines(config.move().timeout(), config.move().podReadyTimeout()));
        PackageCache cache = new PackageCache(Path.of(config.build().packageCacheDir()), config.build().packageCacheKeep());
        BuildJobs builds = new BuildJobs(client, cache);
        this.observer = new Observer(client, nodes, builds, cache);
        BuildJob.Settings settings = new BuildJob.Settings(config.build().toolsImage(), config.build().jobDeadline(),
                config.build().fetchWait(), config.build().jobTtl());
        FaultPoint faults = new FaultPoint(config.fault().haltAfterStep().map(s -> Step.valueOf(s.trim().toUpperCase(Locale.ROOT))));
        this.actuator = new Actuator(client, new WorkloadApplier(client), builds, settings,
                new HotBatch(new HotMover(nodes)), new KubernetesEvents(client), faults,
                new Backoff(config.move().retryBase(), config.move().retryCap()), metrics);
    }

    @Override
    public UpdateControl<ErlangRelease> reconcile(ErlangRelease cr, Context<ErlangRelease> context) {
        Instant now = clock.instant();
        ErlangReleaseStatus previous = cr.getStatus();

        Observation observed = observer.observe(cr);
        Decider.Input input = new Decider.Input(cr.getMetadata().getName(), cr.getMetadata().getGeneration(), cr.getSpec(),
                previous, observed, Workload.workloadHash(cr), now);
        Action action = decider.decide(input);
        LOG.debugf("%s/%s: %s", cr.getMetadata().getNamespace(), cr.getMetadata().getName(), action);

        Progress progress = new Progress(previous);
        if (progress.move != null) {
            progress.move.setPodsDone(new java.util.ArrayList<>(observed.pods().stream()
                    .filter(p -> p.settledOn(progress.move.getTo())).map(p -> p.name()).toList()));
        }
        Action done = actuator.act(cr, action, observed, progress, now);

        ErlangReleaseStatus next = aggregator.aggregate(cr.getMetadata().getGeneration(), cr.getSpec(), previous, observed,
                new StatusAggregator.PassResult(done, progress.move, progress.history, progress.lastStableVersion), now);
        Duration requeue = requeue(done, now);
        if (changed(previous, next)) {
            writeStatus(cr, next, context);
        }
        return UpdateControl.<ErlangRelease>noUpdate().rescheduleAfter(requeue);
    }

    /**
     * Patches the status (server-side apply, this controller's field manager, optimistic locking on the
     * resourceVersion this pass read) and puts the response into JOSDK's primary cache, so that the next pass, due
     * {@code requeue.progress} later, reads this status and not an older one from the informer: a pass on the
     * status from before the patch decided the same step again (MethodChosen, UpgradeSucceeded twice). A 409 (the
     * resource changed meanwhile, e.g. a spec edit) is retried by JOSDK on the fresh resource: this pass already
     * acted, so its status is what is true; the next pass sees the new spec.
     */
    static void writeStatus(ErlangRelease cr, ErlangReleaseStatus next, Context<ErlangRelease> context) {
        ErlangRelease patch = new ErlangRelease();
        patch.setMetadata(new ObjectMetaBuilder().withName(cr.getMetadata().getName())
                .withNamespace(cr.getMetadata().getNamespace()).build());
        patch.setStatus(next);
        PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(cr, patch, context);
    }

    @Override
    public ErrorStatusUpdateControl<ErlangRelease> updateErrorStatus(ErlangRelease cr, Context<ErlangRelease> context,
            Exception e) {
        LOG.warnf("%s/%s: pass failed (will retry): %s", cr.getMetadata().getNamespace(), cr.getMetadata().getName(),
                e.getMessage());
        metrics.reconcileError();
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    @Override
    public List<EventSource<?, ErlangRelease>> prepareEventSources(EventSourceContext<ErlangRelease> context) {
        var pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, ErlangRelease.class)
                .withName("pods")
                .withLabelSelector(Labels.RELEASE_CR)
                .withSecondaryToPrimaryMapper(Mappers.fromLabel(Labels.RELEASE_CR, null, ErlangRelease.class))
                .build(), context);
        var statefulSets = new InformerEventSource<>(InformerEventSourceConfiguration.from(StatefulSet.class, ErlangRelease.class)
                .withName("statefulsets")
                .withLabelSelector(Labels.RELEASE_CR)
                .build(), context);
        var jobs = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, ErlangRelease.class)
                .withName("jobs")
                .withLabelSelector(Labels.RELEASE_CR)
                .build(), context);
        return List.of(pods, statefulSets, jobs);
    }

    private Duration requeue(Action action, Instant now) {
        if (action instanceof Action.RetryLater r) {
            Duration until = Duration.between(now, r.at());
            return until.compareTo(config.requeue().progress()) < 0 ? config.requeue().progress() : until;
        }
        return switch (action.pace()) {
            case AT_ONCE -> config.requeue().progress();
            case WAITING -> config.requeue().busy();
            case IDLE -> config.requeue().idle();
        };
    }

    private static boolean changed(ErlangReleaseStatus before, ErlangReleaseStatus after) {
        return before == null || !Objects.equals(Serialization.asJson(before), Serialization.asJson(after));
    }
}
