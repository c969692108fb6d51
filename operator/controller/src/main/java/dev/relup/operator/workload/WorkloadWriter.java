package dev.relup.operator.workload;

import dev.relup.api.v1alpha1.ErlangRelease;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/**
 * Writes the release's workload (cookie Secret, headless Service, NetworkPolicy, StatefulSet); {@link WorkloadApplier}
 * in the operator.
 */
public interface WorkloadWriter {

    /** Returns the StatefulSet as the API server has it afterwards. */
    StatefulSet apply(ErlangRelease cr, String templateImage);
}
