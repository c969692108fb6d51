package dev.relup.operator.helm;

import static dev.relup.operator.helm.ChartRender.at;
import static dev.relup.operator.helm.ChartRender.ofKind;
import static dev.relup.operator.helm.ChartRender.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.relup.operator.workload.OperatorPods;

/**
 * The chart's networkPolicy value as the operator gets it (relup.network-policy.*): on by default, admitting exactly
 * the pods of its own Deployment, in its own namespace; and the RBAC for the policies it makes.
 */
class ChartNetworkPolicyTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> env(List<Map<String, Object>> objects) {
        Map<String, Object> container = ((List<Map<String, Object>>) at(ofKind(objects, "Deployment").get(0),
                "spec", "template", "spec", "containers")).get(0);
        return ((List<Map<String, Object>>) container.get("env")).stream()
                .collect(Collectors.toMap(e -> (String) e.get("name"), e -> e));
    }

    @Test
    void onByDefaultAdmittingThisDeploymentsPodsInItsNamespace() throws Exception {
        List<Map<String, Object>> objects = render();
        Map<String, Map<String, Object>> env = env(objects);
        assertThat(env.get("RELUP_NETWORK_POLICY_ENABLED")).containsEntry("value", "true");
        assertThat((Object) at(env.get("RELUP_NETWORK_POLICY_OPERATOR_NAMESPACE"), "valueFrom", "fieldRef", "fieldPath"))
                .isEqualTo("metadata.namespace");
        Map<String, String> admitted = OperatorPods.parseLabels((String) env.get("RELUP_NETWORK_POLICY_OPERATOR_LABELS").get("value"));
        Map<String, Object> deployment = ofKind(objects, "Deployment").get(0);
        assertThat(admitted).isEqualTo(Map.of("app.kubernetes.io/name", "relup-operator", "app.kubernetes.io/instance", "r"))
                .as("the Deployment's selector").isEqualTo(at(deployment, "spec", "selector", "matchLabels"));
        Map<String, Object> podLabels = at(deployment, "spec", "template", "metadata", "labels");
        assertThat(podLabels).as("its pods carry them").containsAllEntriesOf(admitted);
    }

    @Test
    void offWhenTheValueSaysSo() throws Exception {
        assertThat(env(render("networkPolicy.enabled=false")).get("RELUP_NETWORK_POLICY_ENABLED")).containsEntry("value", "false");
    }

    @Test
    void theRolesLetTheOperatorApplyAndDeletePoliciesAndNothingMore() throws Exception {
        for (List<Map<String, Object>> roles : List.of(ofKind(render(), "ClusterRole"),
                ofKind(render("watchNamespaces={team-a}"), "Role"))) {
            Map<String, Object> role = roles.stream().filter(r -> !at(r, "metadata", "name").toString().endsWith("-leader"))
                    .findFirst().orElseThrow();
            assertThat(ChartRbacTest.grants(role)).filteredOn(g -> g.startsWith("networking.k8s.io/"))
                    .containsExactlyInAnyOrder("networking.k8s.io/networkpolicies:create",
                            "networking.k8s.io/networkpolicies:patch", "networking.k8s.io/networkpolicies:delete");
        }
    }
}
