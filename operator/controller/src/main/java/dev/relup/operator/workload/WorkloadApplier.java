package dev.relup.operator.workload;

import org.jboss.logging.Logger;

import dev.relup.api.v1alpha1.ErlangRelease;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Applies the desired workload: the Secret only when absent (a cookie is never rotated), the rest server-side.
 * Not JOSDK dependent resources: the StatefulSet's pod template image is not a function of the spec but a step of
 * the rollout (it follows the pods after a hot move, leads them in a restart), chosen by the Decider like any
 * other step, and a dependent would be reconciled on every pass whatever the rollout is doing. The cookie Secret
 * (create-only) and the headless Service would fit as dependents, but they are written in the same step as the
 * StatefulSet, before any pod exists: one mechanism for the one workload keeps that step and its failure (e.g. a
 * 422, reported as ApiRejected) in one place.
 */
public final class WorkloadApplier implements WorkloadWriter {

    private static final Logger LOG = Logger.getLogger(WorkloadApplier.class);
    public static final String FIELD_MANAGER = "relup-operator";
    private final KubernetesClient client;

    public WorkloadApplier(KubernetesClient client) {
        this.client = client;
    }

    /** Returns the StatefulSet as the API server has it after the apply. */
    @Override
    public StatefulSet apply(ErlangRelease cr, String templateImage) {
        String ns = cr.getMetadata().getNamespace();
        if (Workload.generatesCookie(cr)) {
            Secret existing = client.secrets().inNamespace(ns).withName(Workload.cookieSecretName(cr)).get();
            if (existing == null) {
                client.secrets().inNamespace(ns).resource(Workload.cookieSecret(cr)).create();
                LOG.infof("%s/%s: generated cookie Secret %s", ns, cr.getMetadata().getName(), Workload.cookieSecretName(cr));
            }
        }
        client.services().inNamespace(ns).resource(Workload.headlessService(cr))
                .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        return client.apps().statefulSets().inNamespace(ns).resource(Workload.statefulSet(cr, templateImage))
                .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }
}
