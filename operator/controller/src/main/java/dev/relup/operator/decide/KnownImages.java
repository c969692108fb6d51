package dev.relup.operator.decide;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.relup.api.v1alpha1.ErlangReleaseSpec;
import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.api.v1alpha1.MoveRecord;
import dev.relup.api.v1alpha1.MoveResult;
import dev.relup.api.v1alpha1.UpgradeStop;

/**
 * The versions a route may go through, each with the image that holds it: first those the user listed in
 * spec.upgradePath (in their order), then those this ErlangRelease ran before (status.history: a move's from, or the
 * to of a move that succeeded), newest first, with the image status.images remembers for them. A version a move only
 * aimed at and never reached is not known to boot, so it is not offered.
 */
final class KnownImages {

    /** A version and its image; {@code source} says where it came from, for messages. */
    record Known(String version, String image, String source) {}

    private KnownImages() {}

    static List<Known> of(ErlangReleaseSpec spec, ErlangReleaseStatus status) {
        Map<String, Known> known = new LinkedHashMap<>();
        if (spec.getUpgradePath() != null) {
            for (UpgradeStop s : spec.getUpgradePath()) {
                if (s != null && s.getVersion() != null && s.getImage() != null) {
                    known.putIfAbsent(s.getVersion(), new Known(s.getVersion(), s.getImage(), "spec.upgradePath"));
                }
            }
        }
        if (status != null && status.getHistory() != null && status.getImages() != null) {
            List<MoveRecord> newestFirst = new ArrayList<>(status.getHistory());
            java.util.Collections.reverse(newestFirst);
            for (MoveRecord r : newestFirst) {
                List<String> ran = r.getResult() == MoveResult.Succeeded ? List.of(r.getTo(), r.getFrom()) : List.of(r.getFrom());
                for (String v : ran) {
                    String image = v == null ? null : status.getImages().get(v);
                    if (image != null) {
                        known.putIfAbsent(v, new Known(v, image, "status.history"));
                    }
                }
            }
        }
        return List.copyOf(known.values());
    }

    static Optional<Known> find(ErlangReleaseSpec spec, ErlangReleaseStatus status, String version) {
        return of(spec, status).stream().filter(k -> k.version().equals(version)).findFirst();
    }
}
