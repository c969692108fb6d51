package dev.relup.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.relup.operator.config.RelupConfig;

/** relup.network-policy.* as the operator reads it (the chart sets all three). */
class PolicySettingsTest {

    private static RelupConfig.NetworkPolicy config(boolean enabled, String namespace, String labels) {
        return new RelupConfig.NetworkPolicy() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public Optional<String> operatorNamespace() {
                return Optional.ofNullable(namespace);
            }

            @Override
            public Optional<String> operatorLabels() {
                return Optional.ofNullable(labels);
            }
        };
    }

    @Test
    void theChartsSettingsAdmitItsPods() {
        PolicySettings p = PolicySettings.from(config(true, "relup-system",
                "app.kubernetes.io/instance=r,app.kubernetes.io/name=relup-operator"), () -> "elsewhere");
        assertThat(p.enabled()).isTrue();
        assertThat(p.operator()).contains(new OperatorPods("relup-system",
                Map.of("app.kubernetes.io/name", "relup-operator", "app.kubernetes.io/instance", "r")));
    }

    @Test
    void withoutANamespaceTheOperatorsOwnIsTaken() {
        assertThat(PolicySettings.from(config(true, null, "app=relup"), () -> "ops").operator().orElseThrow().namespace())
                .isEqualTo("ops");
        assertThatThrownBy(() -> PolicySettings.from(config(true, null, "app=relup"), () -> null))
                .hasMessageContaining("relup.network-policy.operator-namespace");
    }

    @Test
    void withoutLabelsNoOperatorPodsAreAdmittedAndOffIsOff() {
        assertThat(PolicySettings.from(config(true, "ops", null), () -> "ops")).isEqualTo(new PolicySettings(true, Optional.empty()));
        assertThat(PolicySettings.from(config(true, "ops", " , "), () -> "ops").operator()).isEmpty();
        assertThat(PolicySettings.from(config(false, "ops", "app=relup"), () -> "ops")).isEqualTo(PolicySettings.OFF);
    }

    @Test
    void labelsAreKeyValuePairsAsTheApiServerAcceptsThem() {
        assertThat(OperatorPods.parseLabels(" app.kubernetes.io/name = relup-operator ,tier=ops,empty=")).containsExactly(
                Map.entry("app.kubernetes.io/name", "relup-operator"), Map.entry("tier", "ops"), Map.entry("empty", ""));
        for (String bad : new String[] {"app", "=x", "a b=c", "app=two words", "app=-x", "Example.com/app=x", "app=" + "x".repeat(64)}) {
            assertThatThrownBy(() -> OperatorPods.parseLabels(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a label key=value");
        }
    }
}
