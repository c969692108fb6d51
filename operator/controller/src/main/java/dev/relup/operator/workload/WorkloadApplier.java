package dev.relup.operator.workload;

import org.jboss.logging.Logger;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.operator.Labels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Applies the desired workload: the Secret only when absent (a cookie is never rotated), the rest server-side
 * (headless Service, NetworkPolicy unless turned off, StatefulSet).
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
    private final PolicySettings policy;

    public WorkloadApplier(KubernetesClient client, PolicySettings policy) {
        this.client = client;
        this.policy = policy;
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
        networkPolicy(cr);
        return client.apps().statefulSets().inNamespace(ns).resource(Workload.statefulSet(cr, templateImage, policy))
                .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    /**
     * The release's NetworkPolicy, before the StatefulSet: a new release's pods never run without it. Turned off, the
     * policy made before is deleted (by its name; nothing when there is none): the workload hash changed with the
     * setting, so every release comes here once.
     */
    private void networkPolicy(ErlangRelease cr) {
        String ns = cr.getMetadata().getNamespace();
        if (policy.enabled()) {
            client.network().v1().networkPolicies().inNamespace(ns).resource(DistributionPolicy.desired(cr, policy.operator()))
                    .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        } else if (!client.network().v1().networkPolicies().inNamespace(ns)
                .withName(Labels.networkPolicyName(cr.getMetadata().getName())).delete().isEmpty()) {
            LOG.infof("%s/%s: deleted NetworkPolicy %s (relup.network-policy.enabled is false)", ns,
                    cr.getMetadata().getName(), Labels.networkPolicyName(cr.getMetadata().getName()));
        }
    }
}
