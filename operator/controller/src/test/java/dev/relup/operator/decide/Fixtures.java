package dev.relup.operator.decide;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.relup.api.v1alpha1.ErlangReleaseSpec;
import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.ReleaseEntry;
import dev.relup.api.v1alpha1.Strategy;
import dev.relup.operator.node.NodeRef;
import dev.relup.operator.observe.BuildObservation;
import dev.relup.operator.observe.CachedPackage;
import dev.relup.operator.observe.NodeObservation;
import dev.relup.operator.observe.NodeReadiness;
import dev.relup.operator.observe.Observation;
import dev.relup.operator.observe.PodObservation;

/** Small builders for decision tests: a world of N pods, each with its node's which_releases. */
final class Fixtures {
    static final String IMG1 = "ticker:0.1.0";
    static final String IMG2 = "ticker:0.2.0";
    static final String HASH = "h1";
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant NOW = Instant.parse("2025-01-01T00:10:00Z");

    static ErlangReleaseSpec spec(String version, String image, int replicas, Strategy strategy) {
        ErlangReleaseSpec s = new ErlangReleaseSpec();
        s.setRelease("ticker");
        s.setVersion(version);
        s.setImage(image);
        s.setReplicas(replicas);
        s.setStrategy(strategy);
        return s;
    }

    static NodeObservation node(String... entries) {
        List<ReleaseEntry> l = new ArrayList<>();
        for (String e : entries) {
            String[] kv = e.split(":");
            l.add(new ReleaseEntry(kv[0], kv[1]));
        }
        return NodeObservation.of(l);
    }

    static PodObservation pod(int ordinal, String image, NodeObservation node) {
        return new PodObservation("t-" + ordinal, "uid-" + ordinal, ordinal, "10.0.0." + ordinal, image, true, false, 0, T0, node,
                ref(ordinal), null, NodeReadiness.Gate.NONE);
    }

    static PodObservation unreadyPod(int ordinal, String image, NodeObservation node, Instant created) {
        return new PodObservation("t-" + ordinal, "uid-" + ordinal + "-" + created.getEpochSecond(), ordinal,
                "10.0.0." + ordinal, image, false, false, 0, created, node, ref(ordinal), null, NodeReadiness.Gate.NONE);
    }

    static NodeRef ref(int ordinal) {
        return new NodeRef("ns", "t-" + ordinal, "ticker", "10.0.0." + ordinal, "c".toCharArray());
    }

    static Observation world(String template, PodObservation... pods) {
        return new Observation(true, template, HASH, List.of(pods), Optional.empty(), Optional.empty());
    }

    static Observation withBuild(Observation o, BuildObservation b) {
        return new Observation(o.statefulSetPresent(), o.templateImage(), o.workloadHash(), o.pods(), Optional.of(b), o.cachedPackage());
    }

    static Observation withPackage(Observation o, CachedPackage p) {
        return new Observation(o.statefulSetPresent(), o.templateImage(), o.workloadHash(), o.pods(), o.build(), Optional.of(p));
    }

    static CachedPackage pkg(String from, String to, boolean hot, String... reasons) {
        return new CachedPackage(java.nio.file.Path.of("/cache/p.tar.gz"), "abc123", "ticker", from, to, hot, List.of(reasons), 1L, null);
    }

    static Move move(String from, String to, String fromImage, String toImage) {
        Move m = new Move();
        m.setFrom(from);
        m.setTo(to);
        m.setFromImage(fromImage);
        m.setToImage(toImage);
        m.setGeneration(2L);
        m.setStartedAt(T0.plusSeconds(60).toString());
        return m;
    }

    static ErlangReleaseStatus status(Move m) {
        ErlangReleaseStatus s = new ErlangReleaseStatus();
        s.setMove(m);
        s.getImages().put("0.1.0", IMG1);
        return s;
    }

    static Decider.Input input(ErlangReleaseSpec spec, ErlangReleaseStatus status, Observation obs) {
        return new Decider.Input("t", 2L, spec, status, obs, HASH, NOW);
    }

    private Fixtures() {}
}
