package dev.relup.engine.upgrade;

import java.util.List;

/** What a whole upgrade or downgrade did: versions before and after, and every step with its duration. */
public record UpgradeReport(String node, String release, String from, String to, List<StepTiming> steps,
        long totalMillis) {

    public UpgradeReport {
        steps = List.copyOf(steps);
    }
}
