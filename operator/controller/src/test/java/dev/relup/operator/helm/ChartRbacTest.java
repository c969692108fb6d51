package dev.relup.operator.helm;

import static dev.relup.operator.helm.ChartRender.at;
import static dev.relup.operator.helm.ChartRender.ofKind;
import static dev.relup.operator.helm.ChartRender.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The RBAC the chart renders (helm template): namespaced when it watches namespaces, the Lease in its own only. */
class ChartRbacTest {

    @Test
    void watchedNamespacesGetRolesAndNothingIsClusterWide() throws Exception {
        List<Map<String, Object>> objects = render("watchNamespaces={team-a,team-b}");
        assertThat(ofKind(objects, "ClusterRole")).isEmpty();
        assertThat(ofKind(objects, "ClusterRoleBinding")).isEmpty();
        List<Map<String, Object>> roles = ofKind(objects, "Role");
        assertThat(roles).extracting(r -> at(r, "metadata", "namespace") + "/" + at(r, "metadata", "name"))
                .containsExactlyInAnyOrder("team-a/r-relup-operator", "team-b/r-relup-operator",
                        "relup-system/r-relup-operator-leader");
        assertThat(ofKind(objects, "RoleBinding"))
                .extracting(b -> at(b, "metadata", "namespace") + "/" + at(b, "roleRef", "kind") + "/" + at(b, "roleRef", "name"))
                .containsExactlyInAnyOrder("team-a/Role/r-relup-operator", "team-b/Role/r-relup-operator",
                        "relup-system/Role/r-relup-operator-leader");
        for (Map<String, Object> b : ofKind(objects, "RoleBinding")) {
            assertThat((List<Map<String, Object>>) at(b, "subjects")).containsExactly(
                    Map.of("kind", "ServiceAccount", "name", "relup-operator", "namespace", "relup-system"));
        }
        for (Map<String, Object> role : roles) {
            List<String> granted = grants(role);
            if (at(role, "metadata", "name").toString().endsWith("-leader")) {
                assertThat(granted).containsExactlyInAnyOrder("coordination.k8s.io/leases:get",
                        "coordination.k8s.io/leases:create", "coordination.k8s.io/leases:update", "coordination.k8s.io/leases:patch");
            } else {
                assertLeastPrivilege(granted);
            }
        }
    }

    @Test
    void allNamespacesModeHasOneClusterRoleWithTheSameRules() throws Exception {
        List<Map<String, Object>> objects = render();
        assertThat(ofKind(objects, "ClusterRole")).hasSize(1);
        Map<String, Object> binding = ofKind(objects, "ClusterRoleBinding").get(0);
        assertThat((String) at(binding, "roleRef", "name")).isEqualTo("r-relup-operator");
        List<String> granted = grants(ofKind(objects, "ClusterRole").get(0));
        assertLeastPrivilege(granted);
        assertThat(granted).as("the Lease is granted in the operator's namespace only").noneMatch(g -> g.startsWith("coordination.k8s.io/"));
        assertThat(ofKind(objects, "Role")).extracting(r -> at(r, "metadata", "namespace") + "/" + at(r, "metadata", "name"))
                .containsExactly("relup-system/r-relup-operator-leader");
    }

    private static void assertLeastPrivilege(List<String> granted) {
        assertThat(granted).contains("/secrets:get", "/secrets:create")
                .doesNotContain("/secrets:list", "/secrets:watch", "/secrets:update", "/secrets:patch",
                        "/secrets:delete", "*/*:*", "/pods/log:get", "apps/statefulsets:delete",
                        "relup.dev/erlangreleases:create", "relup.dev/erlangreleases:delete",
                        "relup.dev/erlangreleases:update", "/events:get",
                        // the build output is pulled over HTTP from the Job's pod (BuildJobs.fetch): no exec anywhere
                        "/pods/exec:create", "/pods/exec:get", "/pods/portforward:create", "/pods/portforward:get",
                        "/pods/attach:create", "/pods/attach:get")
                .noneMatch(g -> g.contains("*"))
                .noneMatch(g -> g.startsWith("/pods/exec"));
    }

    @SuppressWarnings("unchecked")
    static List<String> grants(Map<String, Object> role) {
        List<String> out = new java.util.ArrayList<>();
        for (Map<String, Object> rule : (List<Map<String, Object>>) role.get("rules")) {
            for (String g : (List<String>) rule.get("apiGroups")) {
                for (String r : (List<String>) rule.get("resources")) {
                    for (String v : (List<String>) rule.get("verbs")) {
                        out.add(g + "/" + r + ":" + v);
                    }
                }
            }
        }
        return out;
    }
}
