package dev.relup.operator.decide;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.relup.operator.observe.PodObservation;

/** Words for conditions and events. */
final class Describe {

    private Describe() {
    }

    static String podSituation(PodObservation p, String to) {
        List<String> parts = new ArrayList<>();
        if (!p.reachable()) {
            parts.add("node not answering" + whyNotAnswering(p));
        } else {
            parts.add("runs " + p.node().runningVersion().orElse("nothing") + (p.settledOn(to) ? "" : ", not " + to));
        }
        if (!p.ready()) {
            parts.add("not Ready");
        }
        return String.join(", ", parts);
    }

    /** ": <why the node does not answer>", or nothing when it was not said. */
    static String whyNotAnswering(PodObservation p) {
        return p.node() != null && p.node().error() != null ? ": " + p.node().error() : "";
    }

    static String human(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}
