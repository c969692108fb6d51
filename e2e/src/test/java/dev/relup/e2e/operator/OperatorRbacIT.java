package dev.relup.e2e.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.relup.e2e.cluster.ClusterProvider;
import dev.relup.e2e.cluster.E2ePaths;
import dev.relup.e2e.cluster.KubernetesE2e;
import dev.relup.e2e.cluster.PodExec;
import dev.relup.e2e.cluster.TestNamespace;
import dev.relup.e2e.release.Erel;
import dev.relup.e2e.release.Images;
import dev.relup.e2e.release.Ticker;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The Helm chart's rules for a watched namespace are enough, and no more than that: the operator runs with a
 * ServiceAccount token bound by a namespaced Role to exactly {@code helm/relup-operator/rbac/*.yaml} (what the chart
 * renders with {@code watchNamespaces}), in a namespace that enforces the restricted Pod Security profile, and creates
 * a release and hot-upgrades it (Secret, Service, StatefulSet, build Job and its output server, events, status). The API
 * server's own access reviews say what the account may not do, and the release pods show the cookie on no command
 * line and run as non-root.
 */
@KubernetesE2e
class OperatorRbacIT {

    static final String SA = "relup-operator";

    @Test
    void theNamespacedRulesSufficeUnderTheRestrictedProfile(KubernetesClient client, TestNamespace namespace,
            ClusterProvider cluster) throws Exception {
        String ns = namespace.name();
        Images.ensure(cluster, List.of("ticker:0.1.0", "ticker:0.2.0", "relup-tools:dev"));
        Erel.installCrd(client);
        client.namespaces().withName(ns).edit(n -> {
            Map<String, String> labels = new LinkedHashMap<>(n.getMetadata().getLabels() == null ? Map.of()
                    : n.getMetadata().getLabels());
            labels.put("pod-security.kubernetes.io/enforce", "restricted");
            n.getMetadata().setLabels(labels);
            return n;
        });
        assertPodSecurityEnforced(client, ns);

        // the chart's rules (helm/relup-operator/rbac/): those of a watched namespace plus the Lease of its own
        String rules = Files.readString(E2ePaths.repoRoot().resolve("helm/relup-operator/rbac/namespace-rules.yaml"))
                + "\n" + Files.readString(E2ePaths.repoRoot().resolve("helm/relup-operator/rbac/operator-namespace-rules.yaml"));
        Role role = client.getKubernetesSerialization().unmarshal("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\n"
                + "metadata: {name: relup-operator}\nrules:\n" + rules.lines().map(l -> "  " + l).collect(Collectors.joining("\n")),
                Role.class);
        client.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata().withName(SA)
                .endMetadata().build()).create();
        bind(client, ns, client.rbac().roles().inNamespace(ns).resource(role).create());
        if ("port-forward".equals(OperatorProcess.reach())) {
            // on top of the chart's rules, what an operator OUTSIDE the cluster needs to reach the nodes when its host
            // cannot route to pod IPs; in the cluster it dials them, and the chart does not grant this
            bind(client, ns, client.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata()
                    .withName("port-forward").endMetadata().addNewRule().withApiGroups("").withResources("pods/portforward")
                    .withVerbs("create", "get").endRule().build()).create());
        }
        assertAccess(client, ns);

        String token = client.serviceAccounts().inNamespace(ns).withName(SA)
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
                    "the package was pulled from the Job's output server");
        }
        String log = Files.readString(namespace.logDir().resolve("operator-1.log"));
        assertFalse(log.contains("Forbidden") || log.contains("forbidden"), "the operator hit an RBAC denial:\n" + log);

        String cookie = Ticker.cookie(client, ns, "rbac-cookie");
        for (String pod : List.of("rbac-0", "rbac-1")) {
            assertEquals("65532", PodExec.run(client, ns, pod, "id", "-u").strip(), pod + " runs as non-root");
            String seen = PodExec.run(client, ns, pod, "sh", "-c",
                    "for f in /proc/[0-9]*/cmdline /proc/[0-9]*/environ; do tr '\\0' ' ' <\"$f\" 2>/dev/null; echo; done");
            assertTrue(seen.contains("beam"), pod + ": the BEAM's command line was read: " + seen);
            assertFalse(seen.contains(cookie), pod + ": the cookie is on a command line or in an environment");
        }
        assertFalse(Erel.get(client, ns, "rbac").toString().contains(cookie), "the cookie is in the ErlangRelease");
        assertFalse(String.join("\n", Erel.events(client, ns, "rbac")).contains(cookie), "the cookie is in an event");
        assertFalse(log.contains(cookie), "the cookie is in the operator's log");
        client.batch().v1().jobs().inNamespace(ns).list().getItems().forEach(j -> assertFalse(
                client.getKubernetesSerialization().asJson(j).contains(cookie), "the cookie is in Job " + j.getMetadata().getName()));
    }

    /** The namespace refuses a pod that does not meet the restricted profile: the moves below cannot pass by accident. */
    private static void assertPodSecurityEnforced(KubernetesClient client, String ns) {
        KubernetesClientException refused = assertThrows(KubernetesClientException.class, () -> client.pods().inNamespace(ns)
                .resource(new PodBuilder().withNewMetadata().withName("root").endMetadata().withNewSpec()
                        .addNewContainer().withName("c").withImage("relup-busybox:1").withImagePullPolicy("Never")
                        .endContainer().endSpec().build()).create());
        assertTrue(refused.getMessage().contains("PodSecurity"), refused.getMessage());
    }

    /** What the account may and may not do, asked of the API server (what {@code kubectl auth can-i} does). */
    private static void assertAccess(KubernetesClient client, String ns) {
        record Ask(String namespace, String verb, String resource, String subresource, boolean allowed) {
        }
        List<Ask> asks = List.of(
                new Ask(ns, "get", "secrets", null, true),
                new Ask(ns, "create", "secrets", null, true),
                new Ask(ns, "list", "secrets", null, false),
                new Ask(ns, "watch", "secrets", null, false),
                new Ask(ns, "update", "secrets", null, false),
                new Ask(ns, "delete", "statefulsets", null, false),
                new Ask(ns, "update", "erlangreleases", null, false),
                new Ask(ns, "get", "pods", "log", false),
                new Ask(ns, "create", "pods", "exec", false),
                new Ask(ns, "get", "pods", "exec", false),
                new Ask(ns, "patch", "erlangreleases", "status", true),
                new Ask("default", "list", "pods", null, false),
                new Ask("default", "get", "secrets", null, false),
                new Ask("kube-system", "create", "pods", "exec", false),
                new Ask("kube-system", "list", "secrets", null, false),
                new Ask(null, "list", "namespaces", null, false));
        List<String> wrong = new ArrayList<>();
        for (Ask a : asks) {
            SubjectAccessReview r = client.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
                    .withNewSpec().withUser("system:serviceaccount:" + ns + ":" + SA)
                    .withGroups("system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated")
                    .withNewResourceAttributes().withNamespace(a.namespace()).withVerb(a.verb())
                    .withGroup(a.resource().equals("erlangreleases") ? "relup.dev" : a.resource().equals("statefulsets") ? "apps" : "")
                    .withResource(a.resource()).withSubresource(a.subresource()).endResourceAttributes().endSpec().build());
            String said = a.verb() + " " + a.resource() + (a.subresource() == null ? "" : "/" + a.subresource())
                    + " in " + (a.namespace() == null ? "the cluster" : a.namespace()) + ": " + r.getStatus().getAllowed();
            System.out.println("[e2e] can-i " + said);
            if (r.getStatus().getAllowed() != a.allowed()) {
                wrong.add(said);
            }
        }
        assertEquals(List.of(), wrong, "access not as the chart intends");
    }

    private static void bind(KubernetesClient client, String ns, Role role) {
        client.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata()
                .withName(role.getMetadata().getName()).endMetadata().withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(role.getMetadata().getName())
                .endRoleRef().addNewSubject().withKind("ServiceAccount").withName(SA).withNamespace(ns).endSubject()
                .build()).create();
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
