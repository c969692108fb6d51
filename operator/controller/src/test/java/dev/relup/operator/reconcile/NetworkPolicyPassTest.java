package dev.relup.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.relup.api.v1alpha1.PodSettings;
import dev.relup.operator.decide.Action;
import dev.relup.operator.workload.OperatorPods;
import dev.relup.operator.workload.PolicySettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/**
 * The release's NetworkPolicy in whole passes: made with the workload, made again when the operator's settings or the
 * distribution port change (the workload hash), deleted when turned off; the pods are never restarted for it.
 */
@EnableKubernetesMockClient(crud = true)
class NetworkPolicyPassTest {

    KubernetesClient client;
    @TempDir
    Path cacheDir;
    PassHarness h;

    @BeforeEach
    void createdAndRunning() {
        h = new PassHarness(client, cacheDir);
        assertThat(h.pass().action()).isInstanceOf(Action.ApplyWorkload.class);
        h.podsRunning("0.1.0");
        h.passUntil(r -> r.action() instanceof Action.Idle, 10);
    }

    private NetworkPolicy policy() {
        return client.network().v1().networkPolicies().inNamespace(PassHarness.NS).withName("ticker-distribution").get();
    }

    private Container releaseContainer() {
        return client.apps().statefulSets().inNamespace(PassHarness.NS).withName("ticker").get().getSpec().getTemplate()
                .getSpec().getContainers().get(0);
    }

    @Test
    void theFirstPassMakesThePolicyWithTheStatefulSet() {
        NetworkPolicy np = policy();
        assertThat(np).isNotNull();
        assertThat(np.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1"));
        assertThat(np.getSpec().getIngress().get(0).getFrom()).hasSize(2);
        assertThat(np.getSpec().getIngress().get(0).getFrom().get(1).getNamespaceSelector().getMatchLabels())
                .containsEntry("kubernetes.io/metadata.name", "relup-system");
        assertThat(releaseContainer().getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("epmd:4369", "dist:9100");
        assertThat(h.pass().action()).as("nothing left to apply").isInstanceOf(Action.Idle.class);
    }

    @Test
    void otherOperatorSettingsApplyTheWorkloadAgainOffDeletesThePolicyOnBringsItBack() {
        String template = releaseContainer().toString();
        h.policy = new PolicySettings(true, Optional.of(new OperatorPods("ops", Map.of("app", "relup"))));
        h.restartOperator();
        assertThat(h.pass().action()).isInstanceOf(Action.ApplyWorkload.class);
        assertThat(policy().getSpec().getIngress().get(0).getFrom().get(1).getPodSelector().getMatchLabels())
                .isEqualTo(Map.of("app", "relup"));
        assertThat(h.passUntil(r -> r.action() instanceof Action.Idle, 5).action()).isInstanceOf(Action.Idle.class);

        h.policy = PolicySettings.OFF;
        h.restartOperator();
        assertThat(h.pass().action()).isInstanceOf(Action.ApplyWorkload.class);
        assertThat(policy()).as("deleted when turned off").isNull();
        assertThat(releaseContainer().toString()).as("the pods' template is the same: no pod needs a restart").isEqualTo(template);
        assertThat(h.passUntil(r -> r.action() instanceof Action.Idle, 5).action()).isInstanceOf(Action.Idle.class);
        assertThat(client.pods().inNamespace(PassHarness.NS).list().getItems()).hasSize(3);

        h.policy = new PolicySettings(true, Optional.empty());
        h.restartOperator();
        assertThat(h.pass().action()).isInstanceOf(Action.ApplyWorkload.class);
        assertThat(policy().getSpec().getIngress().get(0).getFrom()).as("only the release's pods: an operator outside")
                .hasSize(1);
    }

    @Test
    void anotherDistributionPortMovesTheTemplateAndThePolicyTogether() {
        PodSettings pod = new PodSettings();
        pod.setDistributionPort(9200);
        h.cr.getSpec().setPod(pod);
        h.cr.getMetadata().setGeneration(2L);
        assertThat(h.pass().action()).isInstanceOf(Action.ApplyWorkload.class);
        assertThat(releaseContainer().getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("epmd:4369", "dist:9200");
        assertThat(releaseContainer().getEnv()).anyMatch(e -> e.getName().equals("ERL_AFLAGS")
                && e.getValue().equals("-kernel inet_dist_listen_min 9200 inet_dist_listen_max 9200"));
        assertThat(policy().getSpec().getIngress().get(0).getPorts()).extracting(p -> p.getPort().getIntVal())
                .containsExactly(4369, 9200);
    }
}
