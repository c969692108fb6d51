package dev.relup.operator.reconcile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.ErlangReleaseSpec;
import dev.relup.api.v1alpha1.Strategy;
import dev.relup.operator.Labels;
import dev.relup.operator.config.RelupConfig;
import dev.relup.operator.decide.Decider;
import dev.relup.operator.events.KubernetesEvents;
import dev.relup.operator.metrics.MoveMetrics;
import dev.relup.operator.node.NodeRef;
import dev.relup.operator.node.PodRoutes;
import dev.relup.operator.observe.ClusterView;
import dev.relup.operator.observe.CookieCache;
import dev.relup.operator.observe.NodeChanges;
import dev.relup.operator.observe.NodeProbe;
import dev.relup.operator.observe.NodeState;
import dev.relup.operator.observe.Observer;
import dev.relup.operator.packaging.BuildJob;
import dev.relup.operator.packaging.BuildJobs;
import dev.relup.operator.packaging.BuildNames;
import dev.relup.operator.packaging.ExpectedBuild;
import dev.relup.operator.packaging.PackageCache;
import dev.relup.operator.rollout.Backoff;
import dev.relup.operator.rollout.FakeReleaseNodes;
import dev.relup.operator.rollout.FaultPoint;
import dev.relup.operator.rollout.HotBatch;
import dev.relup.operator.rollout.HotMover;
import dev.relup.operator.workload.DistributionPolicy;
import dev.relup.operator.workload.OperatorPods;
import dev.relup.operator.workload.PolicySettings;
import dev.relup.operator.workload.Workload;
import dev.relup.operator.workload.WorkloadWriter;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Whole reconcile passes without a cluster, the way Flink's operator tests drive its controller: a CRUD API (the
 * fabric8 mock server: it stores what is written, no controllers), the pods a StatefulSet controller would have made,
 * release_handler faked per node by the engine's own Plan, a clock that jumps to each requeue. Each {@link #pass()}
 * is one reconcile; the ErlangRelease keeps the status the pass wrote, as JOSDK's cache does.
 */
final class PassHarness {

    static final String NS = "test";
    static final String NAME = "ticker";
    /** relup.move.pass-budget's default: a pod's quick steps in one pass, as in production. */
    static final java.time.Duration PASS_BUDGET = java.time.Duration.ofSeconds(2);

    final KubernetesClient client;
    final FakeReleaseNodes nodes = new FakeReleaseNodes();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final PackageCache cache;
    final List<ReleasePass.Result> results = new ArrayList<>();
    ErlangRelease cr;
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    ReleasePass pass;
    WorkloadWriter workload;
    /** The way to the pods' ports (a build Job's output server): a test points it at its own server. */
    PodRoutes routes = PodRoutes.DIRECT;
    /** What the node poller last answered; empty: no poller (every pass asks the nodes). */
    Map<String, NodeState> polled = Map.of();
    /** The operator process's count of its changes to the nodes (the poller's and the passes'). */
    NodeChanges changes;
    /** relup.fault.halt-after-step of the next {@link #restartOperator()}: the pass ends there with {@link Halted}. */
    Optional<dev.relup.engine.upgrade.Step> haltAfter = Optional.empty();
    /** The operator's relup.network-policy settings (as the chart sets them); a change takes a {@link #restartOperator()}. */
    PolicySettings policy = new PolicySettings(true, Optional.of(new OperatorPods("relup-system",
            Map.of("app.kubernetes.io/name", "relup-operator", "app.kubernetes.io/instance", "r"))));

    PassHarness(KubernetesClient client, Path cacheDir) {
        this.client = client;
        this.cache = new PackageCache(cacheDir, 8);
        this.workload = new CrudWorkload(client, () -> policy);
        cr = new ErlangRelease();
        cr.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(NS).withUid("uid-1").withGeneration(1L).build());
        ErlangReleaseSpec spec = new ErlangReleaseSpec();
        spec.setRelease("ticker");
        spec.setVersion("0.1.0");
        spec.setImage("ticker:0.1.0");
        spec.setReplicas(3);
        spec.setStrategy(Strategy.Hot);
        cr.setSpec(spec);
        restartOperator();
    }

    /**
     * A new operator process: nothing kept in memory (step log, events seen, cookies, the poller's answers), the
     * cluster and nodes stay.
     */
    void restartOperator() {
        changes = new NodeChanges();
        polled = Map.of();
        Actuator actuator = new Actuator(client, (r, image) -> workload.apply(r, image), new BuildJobs(client, cache, routes),
                new BuildJob.Settings("relup-tools:dev", Duration.ofMinutes(15), Duration.ofMinutes(10), Duration.ofHours(1)),
                new HotBatch(new HotMover(nodes, PASS_BUDGET, new FaultPoint(haltAfter, () -> {
                    throw new Halted();
                }))), new KubernetesEvents(client), Backoff.DEFAULT,
                new MoveMetrics(registry));
        pass = new ReleasePass(new Observer(new NodeProbe(nodes), cache, changes), changes, new Decider(), actuator, new Requeue(),
                policy);
    }

    /** The operator process died at its fault point: nothing after it in the pass ran (no status write). */
    static final class Halted extends RuntimeException {
        Halted() {
            super("halted at the fault point");
        }
    }

    /** One reconcile; the clock then moves to when it asked to come back. */
    ReleasePass.Result pass() {
        ReleasePass.Result r = pass.run(cr, new CrudView(client, cr, polled), (resource, next) -> cr.setStatus(next),
                Writes.NONE, now);
        results.add(r);
        now = now.plus(r.requeue());
        return r;
    }

    /** Passes until {@code done} holds (at most {@code max}); the last result. */
    ReleasePass.Result passUntil(Predicate<ReleasePass.Result> done, int max) {
        for (int i = 0; i < max; i++) {
            ReleasePass.Result r = pass();
            if (done.test(r)) {
                return r;
            }
        }
        throw new AssertionError("not done after " + max + " passes; last: " + results.get(results.size() - 1).action()
                + " " + cr.getStatus().getConditions());
    }

    /** The pods a StatefulSet controller would have created, ready, each node on {@code version}. */
    void podsRunning(String version) {
        for (int i = 0; i < cr.getSpec().getReplicas(); i++) {
            String pod = NAME + "-" + i;
            nodes.node(pod, version + ":permanent");
            client.pods().inNamespace(NS).resource(new PodBuilder()
                    .withNewMetadata().withName(pod).withNamespace(NS).withUid("pod-uid-" + i)
                    .withLabels(Map.of(Labels.RELEASE_CR, NAME, Labels.COMPONENT, Labels.COMPONENT_NODE))
                    .withCreationTimestamp(now.toString()).endMetadata()
                    .withNewSpec().addNewContainer().withName(Labels.RELEASE_CONTAINER).withImage("ticker:" + version)
                    .endContainer().endSpec()
                    .withNewStatus().withPodIP("10.0.0." + i).addNewContainerStatus().withName(Labels.RELEASE_CONTAINER)
                    .withReady(true).withRestartCount(0).withNewState().withNewRunning().endRunning().endState()
                    .endContainerStatus().endStatus()
                    .build()).createOr(NonDeletingOperation::update);
        }
    }

    /**
     * A poller that answered now, through the probe the operator's poller uses (versions, start script, boot,
     * live config overrides), and then never again: its states go stale as the nodes move.
     */
    void pollOnceAndStall() {
        NodeProbe probe = new NodeProbe(nodes);
        char[] cookie = new CookieCache(client).cookie(NS, Workload.cookieSecretName(cr)).orElseThrow();
        Map<String, NodeState> states = new java.util.HashMap<>();
        for (Pod p : client.pods().inNamespace(NS).list().getItems()) {
            String pod = p.getMetadata().getName();
            NodeRef ref = new NodeRef(NS, pod, cr.getSpec().getRelease(), p.getStatus().getPodIP(), cookie);
            states.put(pod, new NodeState(pod, p.getMetadata().getUid(), 0, changes.count(cr, pod), probe.observe(ref, p)));
        }
        polled = Map.copyOf(states);
    }

    /** The spec asks for another version (a user's kubectl apply). */
    void specVersion(String version) {
        cr.getSpec().setVersion(version);
        cr.getSpec().setImage("ticker:" + version);
        cr.getMetadata().setGeneration(cr.getMetadata().getGeneration() + 1);
    }

    /** The relup package of the move in flight, as if its build Job had run and the operator had fetched it. */
    void packageBuilt(String from, String to) throws IOException {
        packageBuilt(from, to, null);
    }

    /** The package with its Job's rehearsal ({@code rehearsalJson}, relup_rehearse's output). */
    void packageRehearsed(String from, String to, String rehearsalJson) throws IOException {
        packageBuilt(from, to, null, rehearsalJson);
    }

    /** The build Job's package in the operator's cache, its report carrying {@code planJson} (none when null). */
    void packageBuilt(String from, String to, String planJson) throws IOException {
        packageBuilt(from, to, planJson, null);
    }

    private void packageBuilt(String from, String to, String planJson, String rehearsalJson) throws IOException {
        packageReported(from, to, true, "[]", planJson == null ? "" : ",\"plan\":" + planJson, rehearsalJson);
    }

    /**
     * A package the build says is not hot because {@code to}'s shipped appup for ticker upgrades only from
     * {@code appupFrom} (the builder's appup_from).
     */
    void packageNotCovered(String from, String to, String... appupFrom) throws IOException {
        String names = String.join(",", java.util.Arrays.stream(appupFrom).map(v -> "\"" + v + "\"").toList());
        packageReported(from, to, false, "[\"ticker: the shipped appup of " + to + " has no up entry for " + from
                + " (it names " + String.join(", ", appupFrom) + ")\"]", ",\"appup_from\":{\"ticker\":[" + names + "]}", null);
    }

    private void packageReported(String from, String to, boolean hot, String reasons, String extra, String rehearsalJson)
            throws IOException {
        String job = BuildNames.jobName(NAME, cr.getStatus().getMove(), cr.getSpec());
        Path pkg = Files.writeString(Files.createTempFile("relup", ".tar.gz"), "package " + from + " -> " + to);
        cache.store(NS, job, new ExpectedBuild("ticker", from, to), """
                {"release":"ticker","from":"%s","to":"%s","package":"/work/out/ticker-%s.tar.gz","sha256":"%s","size":1,
                 "hot":%s,"reasons":%s,"changed_apps":["ticker"],"changed_modules":[],"erts_from":"13.1.5",
                 "erts_to":"13.1.5"%s}""".formatted(from, to, to, PackageCache.sha256(pkg), hot, reasons, extra),
                rehearsalJson, pkg);
    }

    List<String> events(String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).map(e -> e.getMessage()).toList();
    }

    /** Calls made on one node, e.g. "ticker-2 install 0.2.0". */
    List<String> calls(String pod) {
        return nodes.calls.stream().filter(c -> c.startsWith(pod + " ") && !c.endsWith("which_releases")).toList();
    }

    static final class Requeue implements RelupConfig.Requeue {
        @Override
        public Duration progress() {
            return Duration.ofMillis(200);
        }

        @Override
        public Duration busy() {
            return Duration.ofSeconds(2);
        }

        @Override
        public Duration idle() {
            return Duration.ofSeconds(30);
        }
    }

    /**
     * The workload written with plain create/update (the mock server has no server-side apply), as WorkloadApplier
     * writes it: the NetworkPolicy before the StatefulSet, deleted when the settings turn it off.
     */
    static final class CrudWorkload implements WorkloadWriter {
        private final KubernetesClient client;
        private final Supplier<PolicySettings> policy;

        CrudWorkload(KubernetesClient client, Supplier<PolicySettings> policy) {
            this.client = client;
            this.policy = policy;
        }

        @Override
        public StatefulSet apply(ErlangRelease cr, String templateImage) {
            if (client.secrets().inNamespace(NS).withName(Workload.cookieSecretName(cr)).get() == null) {
                client.secrets().inNamespace(NS).resource(Workload.cookieSecret(cr)).create();
            }
            client.services().inNamespace(NS).resource(Workload.headlessService(cr)).createOr(NonDeletingOperation::update);
            PolicySettings settings = policy.get();
            if (settings.enabled()) {
                client.network().v1().networkPolicies().inNamespace(NS)
                        .resource(DistributionPolicy.desired(cr, settings.operator())).createOr(NonDeletingOperation::update);
            } else {
                client.network().v1().networkPolicies().inNamespace(NS)
                        .withName(Labels.networkPolicyName(cr.getMetadata().getName())).delete();
            }
            return client.apps().statefulSets().inNamespace(NS).resource(Workload.statefulSet(cr, templateImage, settings))
                    .createOr(NonDeletingOperation::update);
        }
    }

    /** The cluster read straight from the (mock) API server. */
    static final class CrudView implements ClusterView {
        private final KubernetesClient client;
        private final ErlangRelease cr;
        private final Map<String, NodeState> polled;

        CrudView(KubernetesClient client, ErlangRelease cr, Map<String, NodeState> polled) {
            this.client = client;
            this.cr = cr;
            this.polled = polled;
        }

        @Override
        public Optional<StatefulSet> statefulSet() {
            return Optional.ofNullable(client.apps().statefulSets().inNamespace(NS)
                    .withName(Labels.statefulSetName(cr.getMetadata().getName())).get());
        }

        @Override
        public List<Pod> pods() {
            return client.pods().inNamespace(NS).withLabel(Labels.RELEASE_CR, cr.getMetadata().getName()).list().getItems();
        }

        @Override
        public Optional<Job> job(String name) {
            return Optional.ofNullable(client.batch().v1().jobs().inNamespace(NS).withName(name).get());
        }

        @Override
        public Map<String, NodeState> nodeStates() {
            return polled;
        }

        @Override
        public Optional<char[]> cookie() {
            return new CookieCache(client).cookie(NS, Workload.cookieSecretName(cr));
        }

        @Override
        public void cookieRefused() {
        }
    }
}
