package dev.relup.operator.observe;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.operator.workload.Workload;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;

/**
 * The release nodes' states as an event source: each ErlangRelease's nodes are asked every {@code moving} while a
 * move is in flight or a node does not serve, every {@code idle} otherwise, and a change (a node that restarted on
 * another version, was moved by hand, finished booting) triggers a pass. Passes read the last states instead of
 * asking every node each time.
 */
public final class NodePoller {

    private NodePoller() {
    }

    public static PerResourcePollingEventSource<NodeState, ErlangRelease, String> create(
            EventSourceContext<ErlangRelease> context, InformerEventSource<Pod, ErlangRelease> pods, CookieCache cookies,
            NodeProbe probe, NodeChanges changes, Duration moving, Duration idle) {
        PerResourcePollingEventSource.ResourceFetcher<NodeState, ErlangRelease> fetcher =
                new PerResourcePollingEventSource.ResourceFetcher<>() {
            @Override
            public Set<NodeState> fetchResources(ErlangRelease cr) {
                Optional<char[]> cookie = cookies.cookie(cr.getMetadata().getNamespace(), Workload.cookieSecretName(cr));
                if (cookie.isEmpty()) {
                    return Set.of();
                }
                return pods.getSecondaryResources(cr).stream()
                        .filter(Observer.nodePods(cr))
                        .filter(Observer::running)
                        .map(p -> state(cr, p, cookie.get(), probe, changes.count(cr, p.getMetadata().getName())))
                        .collect(Collectors.toSet());
            }

            @Override
            public Optional<Duration> fetchDelay(Set<NodeState> last, ErlangRelease cr) {
                boolean busy = cr.getStatus() == null || cr.getStatus().getMove() != null || last == null
                        || cr.getStatus().getConfig() != null && cr.getStatus().getConfig().getRollout() != null
                        && cr.getStatus().getConfig().getRollout().getFailure() == null
                        || last.stream().anyMatch(s -> !s.node().serving());
                return Optional.of(busy ? moving : idle);
            }
        };
        return new PerResourcePollingEventSource<>(NodeState.class, context,
                new PerResourcePollingConfigurationBuilder<NodeState, ErlangRelease, String>(fetcher, idle)
                        .withName("nodes")
                        .withResourceIDMapper(NodeState::pod)
                        .build());
    }

    private static NodeState state(ErlangRelease cr, Pod p, char[] cookie, NodeProbe probe, long changesBefore) {
        return new NodeState(p.getMetadata().getName(), p.getMetadata().getUid(), Observer.restarts(p), changesBefore,
                probe.observe(Observer.nodeRef(cr, p, cookie), p));
    }
}
