package dev.relup.operator.observe;

import java.time.Clock;
import java.util.Optional;

import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.node.NodeRef;
import dev.relup.operator.node.ReleaseNodes;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Asks one node what it runs: {@code which_releases} every time; whether its boot finished and whether its start
 * script boots its permanent release only until they are true for that BEAM ({@link NodeFacts}); the live config
 * overrides persisted for the running release every time (one small file read: a restart, a recreated pod or a
 * hand edit changes them behind the operator's back).
 */
public final class NodeProbe {

    private final ReleaseNodes nodes;
    private final Clock clock;
    private final NodeFacts facts = new NodeFacts();

    public NodeProbe(ReleaseNodes nodes) {
        this(nodes, Clock.systemUTC());
    }

    public NodeProbe(ReleaseNodes nodes, Clock clock) {
        this.nodes = nodes;
        this.clock = clock;
    }

    /** Asks the node of {@code pod} (running, with an IP) through {@code ref}. */
    public NodeObservation observe(NodeRef ref, Pod pod) {
        String key = pod.getMetadata().getUid() + "/" + Observer.restarts(pod); // a BEAM restart is a container restart
        try (ReleaseNodes.NodeSession s = nodes.open(ref)) {
            NodeObservation seen = NodeObservation.of(s.whichReleases());
            Optional<String> permanent = seen.permanentVersion();
            boolean script = permanent.isEmpty() || facts.scriptCurrent(key, permanent.get())
                    || s.startScriptIs(permanent.get());
            boolean started = facts.started(key) || s.started();
            facts.remember(key, started, permanent.orElse(""), script);
            String overrides = seen.runningVersion().isPresent() ? s.overrides(seen.runningVersion().get()) : null;
            return new NodeObservation(true, seen.releases(), script, started, null, null, overrides);
        } catch (NodeFailure e) {
            return NodeObservation.unreachable(e.kind() + ": " + e.getMessage(), facts.silent(key, clock.instant()));
        }
    }
}
