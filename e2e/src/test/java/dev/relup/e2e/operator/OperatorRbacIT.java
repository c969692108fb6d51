package dev.relup.e2e.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.relup.e2e.cluster.ClusterProvider;
import dev.relup.e2e.cluster.E2ePaths;
import dev.relup.e2e.cluster.KubernetesE2e;
import dev.relup.e2e.cluster.TestNamespace;
import dev.relup.e2e.release.Erel;
import dev.relup.e2e.release.Images;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The Helm chart's ClusterRole is enough: the operator runs with a ServiceAccount token bound to exactly the rules
 * of {@code helm/relup-operator/rbac/*.yaml}, and creates a release and hot-upgrades it (Secret,
 * Service, StatefulSet, build Job, exec into its pod, events, status).
 */
@KubernetesE2e
class OperatorRbacIT {

    static KubernetesClient admin;
    static String roleName;

    @AfterAll
    static void removeClusterScoped() {
        if (admin != null && roleName != null) {
            admin.rbac().clusterRoleBindings().withName(roleName).delete();
            admin.rbac().clusterRoles().withName(roleName).delete();
        }
    }

    @Test
    void theChartsRulesSufficeForAWholeMove(KubernetesClient client, TestNamespace namespace, ClusterProvider cluster)
            throws Exception {
        admin = client;
        String ns = namespace.name();
        Images.ensure(cluster, List.of("ticker:0.1.0", "ticker:0.2.0", "relup-tools:dev"));
        Erel.installCrd(client);

        roleName = "relup-e2e-" + ns;
        // the chart's rules (helm/relup-operator/rbac/): those of a watched namespace plus the Lease of its own
        String rules = Files.readString(E2ePaths.repoRoot().resolve("helm/relup-operator/rbac/namespace-rules.yaml"))
                + "\n" + Files.readString(E2ePaths.repoRoot().resolve("helm/relup-operator/rbac/operator-namespace-rules.yaml"));
        String template = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: x}\nrules:\n"
                + rules.lines().map(l -> "  " + l).collect(Collectors.joining("\n"));
        ClusterRole role = client.getKubernetesSerialization().unmarshal(template, ClusterRole.class);
        role.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(roleName).build());
        client.rbac().clusterRoles().resource(role).create();
        client.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("relup-operator").endMetadata().build()).create();
        client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(roleName)
                .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName(roleName).endRoleRef().addNewSubject().withKind("ServiceAccount").withName("relup-operator")
                .withNamespace(ns).endSubject().build()).create();
        if ("port-forward".equals(OperatorProcess.reach())) {
            // on top of the chart's rules, what an operator OUTSIDE the cluster needs to reach the nodes when its host
            // cannot route to pod IPs; in the cluster it dials them, and the chart does not grant this
            client.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName("port-forward")
                    .endMetadata().addNewRule().withApiGroups("").withResources("pods/portforward").withVerbs("create", "get")
                    .endRule().build()).create();
            client.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata()
                    .withName("port-forward").endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
                    .withKind("Role").withName("port-forward").endRoleRef().addNewSubject().withKind("ServiceAccount")
                    .withName("relup-operator").withNamespace(ns).endSubject().build()).create();
        }
        String token = client.serviceAccounts().inNamespace(ns).withName("relup-operator")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        Path kubeconfig = saKubeconfig(client.getConfiguration(), token);

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("release", "ticker");
        spec.put("version", "0.1.0");
        spec.put("image", "ticker:0.1.0");
        spec.put("replicas", 2);
        try (OperatorProcess operator = new OperatorProcess(ns, namespace.logDir(), Map.of(), kubeconfig)) {
            operator.start();
            Erel.create(client, ns, "rbac", spec);
            Awaitility.await("Ready on 0.1.0").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> Erel.readyOn(Erel.get(client, ns, "rbac"), "0.1.0", 2));
            Erel.patchSpec(client, ns, "rbac", Map.of("version", "0.2.0", "image", "ticker:0.2.0"));
            Awaitility.await("Ready on 0.2.0").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> Erel.readyOn(Erel.get(client, ns, "rbac"), "0.2.0", 2));
            assertEquals("Hot", Erel.lastHistory(Erel.get(client, ns, "rbac")).path("method").asText());
            assertTrue(Erel.events(client, ns, "rbac").stream().anyMatch(e -> e.startsWith("PackageReady:")),
                    "the package was copied out of the Job by exec");
        }
        String log = Files.readString(namespace.logDir().resolve("operator-1.log"));
        assertFalse(log.contains("Forbidden") || log.contains("forbidden"), "the operator hit an RBAC denial:\n" + log);
    }

    private static Path saKubeconfig(Config admin, String token) throws Exception {
        String ca = admin.getCaCertData() != null ? admin.getCaCertData()
                : Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(admin.getCaCertFile())));
        String yaml = String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: e2e",
                "  cluster:",
                "    server: " + admin.getMasterUrl(),
                "    certificate-authority-data: " + ca,
                "users:",
                "- name: relup-operator",
                "  user:",
                "    token: " + token,
                "contexts:",
                "- name: e2e",
                "  context: {cluster: e2e, user: relup-operator}",
                "current-context: e2e",
                "");
        Path f = Files.createTempFile("operator-sa", ".kubeconfig"); // holds a token: not kept with the test logs
        f.toFile().deleteOnExit();
        Files.writeString(f, yaml);
        return f;
    }
}
