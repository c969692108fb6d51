package dev.relup.operator.observe;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.relup.api.v1alpha1.ReleaseEntry;

/**
 * What release_handler said about one node, or why it said nothing.
 *
 * @param startScriptCurrent whether bin/REL starts the permanent release (see {@code Step.COPY_START_SCRIPT}):
 *                           false right after make_permanent, until the start script is copied
 * @param started            the node finished booting: its applications run ({@code init:get_status()})
 * @param silentSince        for a node that does not answer: since when this BEAM has not answered (null if unknown)
 * @param overrides          the canonical live config overrides persisted for the running release ({@code "[]."}:
 *                           none), null when not read
 */
public record NodeObservation(boolean reachable, List<ReleaseEntry> releases, boolean startScriptCurrent, boolean started,
        String error, Instant silentSince, String overrides) {

    public static final String PERMANENT = "permanent";
    public static final String CURRENT = "current";

    public NodeObservation {
        releases = releases == null ? List.of() : List.copyOf(releases);
    }

    public NodeObservation(boolean reachable, List<ReleaseEntry> releases, boolean startScriptCurrent, boolean started,
            String error, Instant silentSince) {
        this(reachable, releases, startScriptCurrent, started, error, silentSince, null);
    }

    /** The same node running {@code text} as its overrides. */
    public NodeObservation withOverrides(String text) {
        return new NodeObservation(reachable, releases, startScriptCurrent, started, error, silentSince, text);
    }

    /** A node whose start script boots its permanent release. */
    public static NodeObservation of(List<ReleaseEntry> releases) {
        return of(releases, true);
    }

    public static NodeObservation of(List<ReleaseEntry> releases, boolean startScriptCurrent) {
        return new NodeObservation(true, releases, startScriptCurrent, true, null, null);
    }

    public static NodeObservation unreachable(String error) {
        return unreachable(error, null);
    }

    public static NodeObservation unreachable(String error, Instant silentSince) {
        return new NodeObservation(false, List.of(), false, false, error, silentSince);
    }

    /** Answers, and its applications run: what the pod's readiness gate says. */
    public boolean serving() {
        return reachable && started;
    }

    /** The permanent release: what release_handler boots, and bin/REL once the start script is copied. */
    public Optional<String> permanentVersion() {
        return find(PERMANENT).map(ReleaseEntry::getVersion);
    }

    /** The release running now: the {@code current} one while an install is not yet permanent. */
    public Optional<ReleaseEntry> running() {
        return find(CURRENT).or(() -> find(PERMANENT));
    }

    public Optional<String> runningVersion() {
        return running().map(ReleaseEntry::getVersion);
    }

    /** True when the node runs {@code version} and a restart would boot it too (the start script included). */
    public boolean settledOn(String version) {
        return reachable && find(PERMANENT).map(r -> r.getVersion().equals(version)).orElse(false)
                && find(CURRENT).isEmpty() && startScriptCurrent;
    }

    /** The node knows {@code version} (unpacked, old, current or permanent): no package needed to install it. */
    public boolean has(String version) {
        return releases.stream().anyMatch(r -> r.getVersion().equals(version));
    }

    private Optional<ReleaseEntry> find(String state) {
        return releases.stream().filter(r -> state.equals(r.getState())).findFirst();
    }
}
