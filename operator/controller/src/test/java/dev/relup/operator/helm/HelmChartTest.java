package dev.relup.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.relup.operator.reconcile.ErlangReleaseReconciler;
import io.quarkiverse.operatorsdk.annotations.RBACRule;

/** The Helm chart keeps one source of truth: its CRD is crds/ and its RBAC rules are the reconciler's @RBACRules. */
class HelmChartTest {

    private static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
    private static final Path CHART = REPO.resolve("helm/relup-operator");

    @Test
    void chartCrdIsTheGeneratedCrd() throws Exception {
        Path generated = REPO.resolve("crds/erlangreleases.relup.dev-v1.yml");
        Path inChart = CHART.resolve("crds/erlangreleases.relup.dev-v1.yml");
        assertThat(Files.readString(inChart))
                .as("helm/relup-operator/crds must be a copy of crds/ (cp crds/*.yml helm/relup-operator/crds/)")
                .isEqualTo(Files.readString(generated));
    }

    @Test
    void chartRulesAreExactlyTheReconcilersRules() throws Exception {
        Set<String> chart = new TreeSet<>(rules(CHART.resolve("rbac/namespace-rules.yaml")));
        chart.addAll(rules(CHART.resolve("rbac/operator-namespace-rules.yaml")));
        Set<String> expected = new TreeSet<>();
        List<RBACRule> rules = new ArrayList<>(List.of(ErlangReleaseReconciler.class.getAnnotationsByType(RBACRule.class)));
        assertThat(rules).isNotEmpty();
        for (RBACRule rule : rules) {
            for (String g : rule.apiGroups()) {
                for (String r : rule.resources()) {
                    for (String v : rule.verbs()) {
                        expected.add(g + "/" + r + ":" + v);
                    }
                }
            }
        }
        assertThat(chart).isEqualTo(expected);
        assertThat(rules(CHART.resolve("rbac/operator-namespace-rules.yaml")))
                .as("the operator's own namespace gets the Lease and nothing else")
                .allMatch(r -> r.startsWith("coordination.k8s.io/leases:"));
    }

    /** "group/resource:verb" for every combination of a rules file. */
    @SuppressWarnings("unchecked")
    static List<String> rules(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> rule : (List<Map<String, Object>>) new Yaml().load(Files.readString(file))) {
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

    @Test
    void deploymentNeverPullsLatest() throws Exception {
        String values = Files.readString(CHART.resolve("values.yaml"));
        Map<String, Object> v = new Yaml().load(values);
        @SuppressWarnings("unchecked")
        Map<String, Object> image = (Map<String, Object>) v.get("image");
        assertThat(image.get("tag")).isNotEqualTo("latest");
        assertThat(image.get("pullPolicy")).isEqualTo("IfNotPresent");
        assertThat(Files.readString(CHART.resolve("templates/deployment.yaml")))
                .contains("QUARKUS_OPERATOR_SDK_CONTROLLERS_ERLANGRELEASE_NAMESPACES")
                .contains("RELUP_BUILD_TOOLS_IMAGE");
    }
}
