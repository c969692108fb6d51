package dev.relup.operator.observe;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * The release pods' readiness gate: a pod is Ready only when its container is (epmd answers, the kubelet's probe)
 * AND the operator has seen its node answer with its boot finished (every application started). The kubelet alone
 * cannot tell, short of booting a second Erlang VM in a probe every few seconds; the operator asks the node anyway.
 */
public final class NodeReadiness {

    /** The pod condition the gate waits for. */
    public static final String CONDITION = "relup.dev/node-ready";

    /** The gate of one pod: whether its spec has it, and the condition's status now (null: not set yet). */
    public record Gate(boolean present, Boolean status) {
        public static final Gate NONE = new Gate(false, null);

        /** The condition must be set to {@code serving}. */
        public boolean outOf(boolean serving) {
            return present && (status == null || status != serving);
        }
    }

    private NodeReadiness() {
    }

    public static Gate gate(Pod p) {
        boolean present = p.getSpec() != null && p.getSpec().getReadinessGates() != null
                && p.getSpec().getReadinessGates().stream().anyMatch(g -> CONDITION.equals(g.getConditionType()));
        if (!present) {
            return Gate.NONE;
        }
        Boolean status = p.getStatus() == null || p.getStatus().getConditions() == null ? null
                : p.getStatus().getConditions().stream().filter(c -> CONDITION.equals(c.getType())).findFirst()
                        .map(c -> "True".equals(c.getStatus())).orElse(null);
        return new Gate(true, status);
    }
}
