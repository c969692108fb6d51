package dev.relup.operator.observe;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.relup.engine.build.BuildPlan;
import dev.relup.engine.build.Rehearsal;

/**
 * A relup package fetched from a build Job into the operator's cache, with what its build report said ({@code plan}
 * is null when the builder was older than the plan) and, when its Job rehearsed it, the rehearsal (null when not).
 * {@code appupFrom}: per changed application whose shipped appup does not upgrade from {@code from}, the versions it
 * does upgrade from (empty when the builder did not say): where a multi-step route may go through.
 */
public record CachedPackage(
        Path file,
        String sha256,
        String release,
        String from,
        String to,
        boolean hot,
        List<String> reasons,
        long size,
        BuildPlan plan,
        Rehearsal rehearsal,
        Map<String, List<String>> appupFrom) {

    public CachedPackage {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        appupFrom = appupFrom == null ? Map.of() : appupFrom;
    }

    public CachedPackage(Path file, String sha256, String release, String from, String to, boolean hot,
            List<String> reasons, long size, BuildPlan plan, Rehearsal rehearsal) {
        this(file, sha256, release, from, to, hot, reasons, size, plan, rehearsal, Map.of());
    }

    public CachedPackage(Path file, String sha256, String release, String from, String to, boolean hot,
            List<String> reasons, long size, BuildPlan plan) {
        this(file, sha256, release, from, to, hot, reasons, size, plan, null);
    }

    public Optional<Rehearsal> rehearsed() {
        return Optional.ofNullable(rehearsal);
    }

    public Optional<BuildPlan> planned() {
        return Optional.ofNullable(plan);
    }

    public boolean isFor(String from, String to) {
        return this.from.equals(from) && this.to.equals(to);
    }
}
