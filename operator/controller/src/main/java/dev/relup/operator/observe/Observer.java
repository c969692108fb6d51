package dev.relup.operator.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.Move;
import dev.relup.operator.Labels;
import dev.relup.operator.Parallel;
import dev.relup.operator.packaging.BuildJobs;
import dev.relup.operator.packaging.BuildNames;
import dev.relup.operator.packaging.PackageCache;
import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.node.NodeRef;
import dev.relup.operator.workload.Workload;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/**
 * Gathers one {@link Observation}: the StatefulSet, its pods and the build Job from a {@link ClusterView} (the
 * informers' caches: no API request), each node's state from the {@link NodePoller} (a node it has not seen in this
 * BEAM yet is asked now, in parallel, each bounded by the RPC timeouts), and the cached package of the move.
 */
public final class Observer {

    private final NodeProbe probe;
    private final PackageCache cache;
    private final NodeChanges changes;
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "relup-observe");
        t.setDaemon(true);
        return t;
    });

    public Observer(NodeProbe probe, PackageCache cache, NodeChanges changes) {
        this.probe = probe;
        this.cache = cache;
        this.changes = changes;
    }

    public Observation observe(ErlangRelease cr, ClusterView view) {
        String name = cr.getMetadata().getName();
        Optional<StatefulSet> sts = view.statefulSet();
        String templateImage = sts.flatMap(s -> s.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> Labels.RELEASE_CONTAINER.equals(c.getName())).findFirst()).map(c -> c.getImage()).orElse(null);
        String hash = sts.map(s -> s.getMetadata().getAnnotations()).map(a -> a.get(Labels.WORKLOAD_HASH)).orElse(null);
        List<Pod> pods = sts.isEmpty() ? List.of() : view.pods().stream().filter(nodePods(cr)).toList();
        Optional<char[]> cookie = view.cookie();
        Map<String, NodeState> polled = view.nodeStates();
        Move move = cr.getStatus() == null ? null : cr.getStatus().getMove();
        List<PodObservation> observed = new ArrayList<>(Parallel.map(pool, pods,
                p -> podObservation(cr, p, cookie, polled)));
        if (observed.stream().anyMatch(p -> p.node() != null && p.node().error() != null
                && p.node().error().startsWith(NodeFailure.Kind.WRONG_COOKIE.name()))) {
            view.cookieRefused();
        }
        Optional<BuildObservation> build = Optional.empty();
        Optional<CachedPackage> pkg = Optional.empty();
        if (move != null) {
            String job = BuildNames.jobName(name, move, cr.getSpec());
            pkg = cache.find(cr.getMetadata().getNamespace(), job);
            if (move.getBuildJob() != null || pkg.isEmpty()) {
                build = Optional.of(BuildJobs.observe(view, job));
            }
        }
        observed.sort(java.util.Comparator.comparing(PodObservation::name));
        return new Observation(sts.isPresent(), templateImage, hash, observed, build, pkg);
    }

    /**
     * Which nodes are asked in this pass rather than read from the poller: the pass acts on what they report, and
     * the poller's last answer may predate a step a pass made (the next pod would wait for the next poll, a finished
     * move would look unfinished and start again, a rollback would see the canary "settled" on the from-version it
     * left, a config change would be made again). So a polled state is taken only when it is of this very BEAM and
     * no pass changed that node since the poll began ({@link NodeChanges}; the poller waits long when idle, and a
     * whole move fits in that wait); the other nodes are asked now. A move thus asks, in each pass, only the nodes
     * the passes before it changed, and the steady state costs no call. Nodes the poller found silent are never
     * asked here: it keeps asking them, and asking here too would hold every pass for a call timeout.
     */
    private PodObservation podObservation(ErlangRelease cr, Pod p, Optional<char[]> cookie, Map<String, NodeState> polled) {
        String podName = p.getMetadata().getName();
        String ip = p.getStatus() == null ? null : p.getStatus().getPodIP();
        String image = p.getSpec().getContainers().stream().filter(c -> Labels.RELEASE_CONTAINER.equals(c.getName()))
                .findFirst().map(c -> c.getImage()).orElse(null);
        Optional<ContainerStatus> cs = container(p);
        boolean ready = cs.map(c -> Boolean.TRUE.equals(c.getReady())).orElse(false);
        int restarts = restarts(p);
        boolean terminating = p.getMetadata().getDeletionTimestamp() != null;
        Instant created = p.getMetadata().getCreationTimestamp() == null ? null : Instant.parse(p.getMetadata().getCreationTimestamp());
        NodeObservation node;
        NodeRef ref = ip == null || cookie.isEmpty() ? null : nodeRef(cr, p, cookie.get());
        String problem = PodProblems.of(p).orElse(null);
        if (terminating) {
            node = NodeObservation.unreachable("pod is terminating");
        } else if (!running(p)) {
            node = NodeObservation.unreachable(problem != null ? problem : "release container not running yet");
        } else if (cookie.isEmpty()) {
            node = NodeObservation.unreachable("cookie Secret " + Workload.cookieSecretName(cr) + " not found");
        } else {
            // the poller's state of this very BEAM when it has one, else ask the node now (a new pod, a new BEAM, a
            // node a move is working on)
            node = Optional.ofNullable(polled.get(podName)).filter(s -> s.describes(p.getMetadata().getUid(), restarts))
                    .filter(s -> !s.node().reachable() || s.current(changes.count(cr, podName)))
                    .map(NodeState::node)
                    .orElseGet(() -> probe.observe(ref, p));
        }
        return new PodObservation(podName, p.getMetadata().getUid(), ordinal(podName), ip, image, ready, terminating,
                restarts, created, node, ref, problem, NodeReadiness.gate(p));
    }

    /** The pods of the release's nodes (the informer also holds its build Jobs' pods). */
    static Predicate<Pod> nodePods(ErlangRelease cr) {
        Map<String, String> selector = Labels.selector(cr.getMetadata().getName());
        return p -> p.getMetadata().getLabels() != null
                && p.getMetadata().getLabels().entrySet().containsAll(selector.entrySet());
    }

    /** How to reach the node of {@code p}: {@code <release>@<pod IP>} with the release's cookie. */
    static NodeRef nodeRef(ErlangRelease cr, Pod p, char[] cookie) {
        return new NodeRef(p.getMetadata().getNamespace(), p.getMetadata().getName(), cr.getSpec().getRelease(), p.getStatus().getPodIP(), cookie);
    }

    /** The release container runs and the pod has an IP: its node can be asked. */
    static boolean running(Pod p) {
        return p.getStatus() != null && p.getStatus().getPodIP() != null && p.getMetadata().getDeletionTimestamp() == null
                && container(p).map(c -> c.getState() != null && c.getState().getRunning() != null).orElse(false);
    }

    static int restarts(Pod p) {
        return container(p).map(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).orElse(0);
    }

    private static Optional<ContainerStatus> container(Pod p) {
        return p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? Optional.empty()
                : p.getStatus().getContainerStatuses().stream().filter(c -> Labels.RELEASE_CONTAINER.equals(c.getName()))
                        .findFirst();
    }

    static int ordinal(String podName) {
        int dash = podName.lastIndexOf('-');
        try {
            return Integer.parseInt(podName.substring(dash + 1));
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }
}
