package dev.relup.operator.reconcile;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.operator.Labels;
import dev.relup.operator.packaging.BuildJob;
import dev.relup.operator.packaging.BuildJobs;
import dev.relup.operator.packaging.BuildOutputLimits;
import dev.relup.operator.packaging.PackageCache;
import dev.relup.operator.config.RelupConfig;
import dev.relup.operator.decide.Action;
import dev.relup.operator.decide.Decider;
import dev.relup.operator.events.KubernetesEvents;
import dev.relup.operator.metrics.MoveMetrics;
import dev.relup.operator.node.PodRoutes;
import dev.relup.operator.node.ReleaseNodes;
import dev.relup.operator.observe.CachedClusterView;
import dev.relup.operator.observe.CookieCache;
import dev.relup.operator.observe.ManagedFieldsDroppingStore;
import dev.relup.operator.observe.NodeChanges;
import dev.relup.operator.observe.NodePoller;
import dev.relup.operator.observe.NodeProbe;
import dev.relup.operator.observe.Observer;
import dev.relup.engine.upgrade.Step;
import dev.relup.operator.rollout.Backoff;
import dev.relup.operator.rollout.FaultPoint;
import dev.relup.operator.rollout.HotBatch;
import dev.relup.operator.rollout.HotMover;
import dev.relup.operator.workload.PolicySettings;
import dev.relup.operator.workload.WorkloadApplier;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.quarkiverse.operatorsdk.annotations.RBACRule;
import io.quarkiverse.operatorsdk.annotations.RBACVerbs;

/**
 * Moves the pods of an ErlangRelease to the version its spec asks for: wires JOSDK to {@link ReleasePass}, which
 * observes (the informers' caches of pods, StatefulSets and Jobs, the {@link NodePoller}'s node states), decides one
 * {@link Action}, acts, writes the status when it changed, and comes back at the action's pace. Events of the pods,
 * the StatefulSet, the build Jobs and the nodes trigger passes too.
 */
@ControllerConfiguration(name = ErlangReleaseReconciler.NAME, informer = @Informer(itemStore = ManagedFieldsDroppingStore.class))
// The operator's RBAC, one rule per use (the chart's copies in helm/relup-operator/rbac/, checked by HelmChartTest):
// the primary resource is read by JOSDK's informer and only its status is written (server-side apply, no finalizer);
// no pods/exec: the build output is pulled over HTTP from the build Job's pod (BuildJobs.fetch)
@RBACRule(apiGroups = "relup.dev", resources = {"erlangreleases"}, verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH})
@RBACRule(apiGroups = "relup.dev", resources = {"erlangreleases/status"}, verbs = {RBACVerbs.PATCH})
@RBACRule(apiGroups = "", resources = {"pods"}, verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH,
        RBACVerbs.DELETE})
@RBACRule(apiGroups = "", resources = {"pods/status"}, verbs = {RBACVerbs.PATCH})
// server-side apply: patch, and create when the object does not exist yet
@RBACRule(apiGroups = "", resources = {"services"}, verbs = {RBACVerbs.CREATE, RBACVerbs.PATCH})
// the cookie Secret is read by name and created when absent: no list or watch of Secrets (CookieCache)
@RBACRule(apiGroups = "", resources = {"secrets"}, verbs = {RBACVerbs.GET, RBACVerbs.CREATE})
@RBACRule(apiGroups = "", resources = {"events"}, verbs = {RBACVerbs.CREATE, RBACVerbs.PATCH})
@RBACRule(apiGroups = "apps", resources = {"statefulsets"}, verbs = {RBACVerbs.LIST, RBACVerbs.WATCH,
        RBACVerbs.CREATE, RBACVerbs.PATCH})
@RBACRule(apiGroups = "batch", resources = {"jobs"}, verbs = {RBACVerbs.GET, RBACVerbs.LIST, RBACVerbs.WATCH,
        RBACVerbs.CREATE, RBACVerbs.DELETE})
// the release's NetworkPolicy by server-side apply; delete: the one made before, when relup.network-policy is turned off
@RBACRule(apiGroups = "networking.k8s.io", resources = {"networkpolicies"}, verbs = {RBACVerbs.CREATE, RBACVerbs.PATCH,
        RBACVerbs.DELETE})
// leader election (LeaderElection): in the operator's own namespace only, a Role of its own in the chart; update is
// never used, but JOSDK checks for it at start and refuses to run without it
@RBACRule(apiGroups = "coordination.k8s.io", resources = {"leases"}, verbs = {RBACVerbs.GET, RBACVerbs.CREATE,
        RBACVerbs.UPDATE, RBACVerbs.PATCH})
public class ErlangReleaseReconciler implements Reconciler<ErlangRelease> {

    public static final String NAME = "erlangrelease";
    private static final Logger LOG = Logger.getLogger(ErlangReleaseReconciler.class);

    private final ReleasePass pass;
    private InformerEventSource<StatefulSet, ErlangRelease> statefulSets;
    private InformerEventSource<Job, ErlangRelease> jobs;
    private final CookieCache cookies;
    private final NodeProbe probe;
    private final NodeChanges changes = new NodeChanges();
    private final RelupConfig config;
    private final MoveMetrics metrics;
    private final Clock clock;

    @Inject
    public ErlangReleaseReconciler(KubernetesClient client, ReleaseNodes nodes, PodRoutes routes, RelupConfig config,
            MeterRegistry registry) {
        this(client, nodes, routes, config, new MoveMetrics(registry), Clock.systemUTC());
    }

    ErlangReleaseReconciler(KubernetesClient client, ReleaseNodes nodes, PodRoutes routes, RelupConfig config,
            MoveMetrics metrics, Clock clock) {
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        Decider decider = new Decider(new Decider.Deadlines(config.move().timeout(), config.move().podReadyTimeout()));
        PackageCache cache = new PackageCache(Path.of(config.build().packageCacheDir()), config.build().packageCacheKeep(),
                new BuildOutputLimits(config.build().maxReportBytes(), config.build().maxPackageBytes()));
        BuildJobs builds = new BuildJobs(client, cache, routes);
        this.cookies = new CookieCache(client);
        BuildJob.Settings settings = new BuildJob.Settings(config.build().toolsImage(), config.build().jobDeadline(),
                config.build().fetchWait(), config.build().jobTtl());
        FaultPoint faults = new FaultPoint(config.fault().haltAfterStep().map(s -> Step.valueOf(s.trim().toUpperCase(Locale.ROOT))));
        PolicySettings policy = policySettings(config.networkPolicy(), client);
        Actuator actuator = new Actuator(client, new WorkloadApplier(client, policy), builds, settings,
                new HotBatch(new HotMover(nodes, config.move().passBudget(), faults)), new KubernetesEvents(client),
                new Backoff(config.move().retryBase(), config.move().retryCap()), metrics);
        this.probe = new NodeProbe(nodes);
        this.pass = new ReleasePass(new Observer(probe, cache, changes), changes, decider, actuator, config.requeue(), policy);
    }

    /** relup.network-policy.*, said in the log once: what each release's NetworkPolicy admits to epmd and dist. */
    static PolicySettings policySettings(RelupConfig.NetworkPolicy config, KubernetesClient client) {
        PolicySettings policy = PolicySettings.from(config, client::getNamespace);
        if (!policy.enabled()) {
            LOG.info("network policy off (relup.network-policy.enabled=false): release pods' epmd and distribution port "
                    + "are open to every pod that can reach them; NetworkPolicies made before are deleted");
        } else if (policy.operator().isPresent()) {
            LOG.infof("network policy: epmd and the distribution port of release pods admit the release's pods and the "
                    + "operator's pods %s in namespace %s", policy.operator().get().labels(), policy.operator().get().namespace());
        } else {
            LOG.warn("network policy: epmd and the distribution port of release pods admit only the release's own pods, no "
                    + "operator pods (relup.network-policy.operator-labels is not set): right for an operator outside the "
                    + "cluster (port-forward, or a cluster node's host, which NetworkPolicy does not filter); an operator "
                    + "in the cluster must set it to its pods' labels, or it cannot reach the nodes");
        }
        return policy;
    }

    @Override
    public UpdateControl<ErlangRelease> reconcile(ErlangRelease cr, Context<ErlangRelease> context) {
        metrics.pass();
        CachedClusterView view = new CachedClusterView(cr, context, cookies);
        ReleasePass.Result r = pass.run(cr, view, (resource, next) -> writeStatus(resource, next, context),
                new InformerWrites(view), clock.instant());
        return UpdateControl.<ErlangRelease>noUpdate().rescheduleAfter(r.requeue());
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

    /** Puts what a pass wrote into the informers' caches at once (JOSDK's temporary resource cache). */
    private final class InformerWrites implements Writes {
        private final CachedClusterView view;

        InformerWrites(CachedClusterView view) {
            this.view = view;
        }

        @Override
        public void statefulSet(StatefulSet applied) {
            Optional<StatefulSet> before = view.statefulSet();
            if (before.isPresent()) {
                statefulSets.handleRecentResourceUpdate(ResourceID.fromResource(applied), applied, before.get());
            } else {
                statefulSets.handleRecentResourceCreate(ResourceID.fromResource(applied), applied);
            }
        }

        @Override
        public void job(Job created) {
            jobs.handleRecentResourceCreate(ResourceID.fromResource(created), created);
        }
    }

    @Override
    public List<EventSource<?, ErlangRelease>> prepareEventSources(EventSourceContext<ErlangRelease> context) {
        var pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, ErlangRelease.class)
                .withName("pods")
                .withItemStore(new ManagedFieldsDroppingStore<>())
                .withLabelSelector(Labels.RELEASE_CR)
                .withSecondaryToPrimaryMapper(Mappers.fromLabel(Labels.RELEASE_CR, null, ErlangRelease.class))
                .build(), context);
        statefulSets = new InformerEventSource<>(InformerEventSourceConfiguration.from(StatefulSet.class, ErlangRelease.class)
                .withName("statefulsets")
                .withItemStore(new ManagedFieldsDroppingStore<>())
                .withLabelSelector(Labels.RELEASE_CR)
                .build(), context);
        jobs = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, ErlangRelease.class)
                .withName("jobs")
                .withItemStore(new ManagedFieldsDroppingStore<>())
                .withLabelSelector(Labels.RELEASE_CR)
                .build(), context);
        var nodes = NodePoller.create(context, pods, cookies, probe, changes, config.nodes().pollMoving(), config.nodes().pollIdle());
        return List.of(pods, statefulSets, jobs, nodes);
    }

}
