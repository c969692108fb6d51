package dev.relup.operator.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.HealthCheck;
import dev.relup.api.v1alpha1.Move;
import dev.relup.operator.decide.Action;
import dev.relup.operator.decide.SpecDefaults;
import dev.relup.operator.events.Events;
import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.node.NodeRef;
import dev.relup.operator.observe.Observation;
import dev.relup.operator.observe.PodObservation;
import dev.relup.operator.rollout.HotBatch;

/**
 * The checks of a hot move: each pod after its move ({@link Action.Verify}), and the canary again and again while
 * it soaks ({@link Action.Soak}). A pod that passes joins {@code move.healthy}; a failure comes back for the
 * caller to record as the failed step of that pod (what then happens, rollback or stop, is the decider's call).
 */
final class MoveChecks {

    private final HotBatch batch;
    private final Events events;

    MoveChecks(HotBatch batch, Events events) {
        this.batch = batch;
        this.events = events;
    }

    Map<String, NodeFailure> verify(ErlangRelease cr, Action.Verify v, Observation obs, Move m, Instant now) {
        HealthCheck check = cr.getSpec().getHealthCheck();
        Map<String, NodeFailure> failures = new LinkedHashMap<>();
        for (HotBatch.PodCheck r : batch.check(refs(v.pods(), obs, failures), check)) {
            if (r.failure() != null) {
                failures.put(r.pod(), r.failure());
            } else if (!r.answer().passed()) {
                failures.put(r.pod(), new NodeFailure(NodeFailure.Kind.HEALTH_CHECK_FAILED, "pod " + r.pod()
                        + ": health check " + check.describe() + " answered " + r.answer().answer() + " after its move to "
                        + m.getTo()));
            } else {
                m.getHealthy().add(r.pod());
                if (check != null) {
                    events.normal(cr, Events.HEALTH_CHECK_PASSED, "pod " + r.pod() + " on " + m.getTo() + ": health check "
                            + check.describe() + " answered " + r.answer().answer() + " in " + r.answer().millis() + " ms");
                }
                int soak = SpecDefaults.soakSeconds(cr.getSpec());
                if (v.canary() && m.getHealthy().size() == 1) {
                    m.setCanarySettledAt(now.toString());
                    m.setCanaryBeam(r.answer().beam());
                    if (soak > 0) {
                        events.normal(cr, Events.CANARY_SOAKING, "canary " + r.pod() + " runs " + m.getTo() + "; the other pods"
                                + " wait " + soak + " s (until " + now.plusSeconds(soak) + ") while it stays healthy");
                    }
                }
            }
        }
        return failures;
    }

    /** The canary during its soak: Ready, still settled on the target, the same boot of its node, check passing. */
    Map<String, NodeFailure> soak(ErlangRelease cr, Action.Soak s, Observation obs, Move m) {
        Optional<PodObservation> p = obs.pod(s.pod());
        String problem = p.isEmpty() ? "is gone"
                : !p.get().ready() ? "is not Ready"
                : !p.get().settledOn(m.getTo()) ? "no longer runs " + m.getTo() + " permanently"
                : null;
        Map<String, NodeFailure> failures = new LinkedHashMap<>();
        if (problem == null) {
            for (HotBatch.PodCheck r : batch.check(refs(List.of(s.pod()), obs, failures), cr.getSpec().getHealthCheck())) {
                problem = r.failure() != null ? "does not answer (" + r.failure().getMessage() + ")"
                        : !r.answer().beam().equals(m.getCanaryBeam()) ? "restarted (its node is a new boot: "
                                + m.getCanaryBeam() + " -> " + r.answer().beam() + "), its in-memory state lost"
                        : !r.answer().passed() ? "fails its health check " + cr.getSpec().getHealthCheck().describe()
                                + ": " + r.answer().answer()
                        : null;
            }
        }
        if (problem != null) {
            failures.put(s.pod(), new NodeFailure(NodeFailure.Kind.HEALTH_CHECK_FAILED, "canary " + s.pod() + " " + problem
                    + " during its soak on " + m.getTo() + " (since " + m.getCanarySettledAt() + ")"));
        }
        return failures;
    }

    /** The node refs of {@code pods}; a pod without one (no IP or cookie yet) gets an UNREACHABLE failure instead. */
    static List<NodeRef> refs(List<String> pods, Observation obs, Map<String, NodeFailure> failures) {
        List<NodeRef> refs = new ArrayList<>();
        for (String pod : pods) {
            Optional<NodeRef> ref = obs.pod(pod).flatMap(PodObservation::nodeRef);
            if (ref.isPresent()) {
                refs.add(ref.get());
            } else {
                failures.put(pod, new NodeFailure(NodeFailure.Kind.UNREACHABLE, pod + ": no pod IP or cookie yet"));
            }
        }
        return refs;
    }
}
