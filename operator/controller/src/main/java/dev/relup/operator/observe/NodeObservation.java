package dev.relup.operator.observe;

import java.util.List;
import java.util.Optional;

import dev.relup.api.v1alpha1.ReleaseEntry;

/** What release_handler said about one node, or why it said nothing. */
public record NodeObservation(boolean reachable, List<ReleaseEntry> releases, String error) {

    public static final String PERMANENT = "permanent";
    public static final String CURRENT = "current";

    public NodeObservation {
        releases = releases == null ? List.of() : List.copyOf(releases);
    }

    public static NodeObservation of(List<ReleaseEntry> releases) {
        return new NodeObservation(true, releases, null);
    }

    public static NodeObservation unreachable(String error) {
        return new NodeObservation(false, List.of(), error);
    }

    /** The release running now: the {@code current} one while an install is not yet permanent. */
    public Optional<ReleaseEntry> running() {
        return find(CURRENT).or(() -> find(PERMANENT));
    }

    public Optional<String> runningVersion() {
        return running().map(ReleaseEntry::getVersion);
    }

    /** True when the node runs {@code version} and a restart would boot it too. */
    public boolean settledOn(String version) {
        return reachable && find(PERMANENT).map(r -> r.getVersion().equals(version)).orElse(false)
                && find(CURRENT).isEmpty();
    }

    /** The node knows {@code version} (unpacked, old, current or permanent): no package needed to install it. */
    public boolean has(String version) {
        return releases.stream().anyMatch(r -> r.getVersion().equals(version));
    }

    private Optional<ReleaseEntry> find(String state) {
        return releases.stream().filter(r -> state.equals(r.getState())).findFirst();
    }
}
