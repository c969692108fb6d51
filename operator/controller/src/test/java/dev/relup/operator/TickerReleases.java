package dev.relup.operator;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.ErlangReleaseSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** The ErlangRelease the workload and build Job tests start from: "tick", ticker 0.1.0, nothing else set. */
public final class TickerReleases {

    private TickerReleases() {
    }

    public static ErlangRelease tick(String namespace) {
        ErlangRelease cr = new ErlangRelease();
        cr.setMetadata(new ObjectMetaBuilder().withName("tick").withNamespace(namespace).withUid("u-1").build());
        ErlangReleaseSpec s = new ErlangReleaseSpec();
        s.setRelease("ticker");
        s.setVersion("0.1.0");
        s.setImage("ticker:0.1.0");
        cr.setSpec(s);
        return cr;
    }
}
