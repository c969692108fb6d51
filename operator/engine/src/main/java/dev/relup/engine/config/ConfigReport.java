package dev.relup.engine.config;

import java.util.List;

/** What an apply did on one node: the release version it ran in and one entry per application overridden now or before. */
public record ConfigReport(String vsn, List<AppChange> apps) {

    public ConfigReport {
        apps = List.copyOf(apps);
    }

    /** The applications whose {@code config_change/3} failed: the env is set anyway (release_handler does the same). */
    public List<AppChange> failedCallbacks() {
        return apps.stream().filter(a -> a.callback().failed()).toList();
    }
}
