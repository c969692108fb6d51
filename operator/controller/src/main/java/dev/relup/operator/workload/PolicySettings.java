package dev.relup.operator.workload;

import java.util.Optional;
import java.util.function.Supplier;

import dev.relup.operator.config.RelupConfig;

/**
 * Whether the operator gives each release its {@link DistributionPolicy}, and which operator pods it admits
 * ({@code relup.network-policy.*}). The same for every release of one operator process.
 *
 * @param operator the operator's pods; empty when it runs outside the cluster (no pods of its own to admit)
 */
public record PolicySettings(boolean enabled, Optional<OperatorPods> operator) {

    public static final PolicySettings OFF = new PolicySettings(false, Optional.empty());

    /**
     * From the operator's configuration. The operator's pods are admitted when their labels are configured, in the
     * configured namespace or else {@code ownNamespace} (the client's: the service account's in the cluster).
     *
     * @throws IllegalArgumentException when the labels do not parse, or no namespace is known for them
     */
    public static PolicySettings from(RelupConfig.NetworkPolicy config, Supplier<String> ownNamespace) {
        if (!config.enabled()) {
            return OFF;
        }
        var labels = config.operatorLabels().map(OperatorPods::parseLabels).filter(l -> !l.isEmpty());
        if (labels.isEmpty()) {
            return new PolicySettings(true, Optional.empty());
        }
        String namespace = config.operatorNamespace().filter(n -> !n.isBlank()).orElseGet(ownNamespace);
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("relup.network-policy.operator-labels is set but the operator's namespace is "
                    + "unknown: set relup.network-policy.operator-namespace");
        }
        return new PolicySettings(true, Optional.of(new OperatorPods(namespace, labels.get())));
    }
}
