package dev.relup.operator.helm;

import static dev.relup.operator.helm.ChartRender.at;
import static dev.relup.operator.helm.ChartRender.ofKind;
import static dev.relup.operator.helm.ChartRender.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The operator's Deployment as helm renders it: restricted, non-root, read-only root filesystem. */
class ChartSecurityTest {

    @Test
    @SuppressWarnings("unchecked")
    void theOperatorPodIsRestrictedAndReadOnly() throws Exception {
        Map<String, Object> deployment = ofKind(render(), "Deployment").get(0);
        Map<String, Object> pod = at(deployment, "spec", "template", "spec");
        assertThat((Map<String, Object>) pod.get("securityContext")).containsEntry("runAsNonRoot", true)
                .containsEntry("runAsUser", 65532).containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        Map<String, Object> sc = (Map<String, Object>) container.get("securityContext");
        assertThat(sc).containsEntry("allowPrivilegeEscalation", false).containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("runAsNonRoot", true).containsEntry("capabilities", Map.of("drop", List.of("ALL")));
        List<Map<String, Object>> mounts = (List<Map<String, Object>>) container.get("volumeMounts");
        assertThat(mounts).extracting(m -> m.get("mountPath")).contains("/tmp", "/var/cache/relup");
        List<Map<String, Object>> volumes = (List<Map<String, Object>>) pod.get("volumes");
        assertThat(volumes).allMatch(v -> v.containsKey("emptyDir"));
    }
}
