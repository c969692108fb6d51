package dev.relup.engine.handler;

import java.util.List;
import java.util.Optional;

/** The answer of {@code which_releases()}, with the questions every caller asks of it. */
public record Releases(List<Release> all) {

    public Releases {
        all = List.copyOf(all);
    }

    /** The release the node runs now: the {@code current} one if an install is not yet permanent. */
    public Optional<Release> running() {
        return find(ReleaseState.CURRENT).or(() -> find(ReleaseState.PERMANENT));
    }

    /** The release a restart would boot. */
    public Optional<Release> permanent() {
        return find(ReleaseState.PERMANENT);
    }

    public Optional<Release> version(String vsn) {
        return all.stream().filter(r -> r.vsn().equals(vsn)).findFirst();
    }

    private Optional<Release> find(ReleaseState state) {
        return all.stream().filter(r -> r.state() == state).findFirst();
    }
}
