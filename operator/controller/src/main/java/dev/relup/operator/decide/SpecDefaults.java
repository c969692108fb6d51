package dev.relup.operator.decide;

import dev.relup.api.v1alpha1.ErlangReleaseSpec;
import dev.relup.api.v1alpha1.Rollback;
import dev.relup.api.v1alpha1.Strategy;

/** The spec's optional fields with the defaults the CRD documents. */
public final class SpecDefaults {

    private SpecDefaults() {
    }

    static int replicas(ErlangReleaseSpec spec) {
        return spec.getReplicas() == null ? 1 : spec.getReplicas();
    }

    static int batchSize(ErlangReleaseSpec spec) {
        return spec.getBatchSize() == null ? 1 : spec.getBatchSize();
    }

    static Strategy strategy(ErlangReleaseSpec spec) {
        return spec.getStrategy() == null ? Strategy.Auto : spec.getStrategy();
    }

    static Rollback rollback(ErlangReleaseSpec spec) {
        return spec.getRollback() == null ? Rollback.Auto : spec.getRollback();
    }

    public static int soakSeconds(ErlangReleaseSpec spec) {
        return spec.getCanary() == null || spec.getCanary().getSoakSeconds() == null ? 0 : spec.getCanary().getSoakSeconds();
    }

    static boolean paused(ErlangReleaseSpec spec) {
        return Boolean.TRUE.equals(spec.getPaused());
    }
}
