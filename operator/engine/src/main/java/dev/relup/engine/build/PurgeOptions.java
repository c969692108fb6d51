package dev.relup.engine.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The builder's purge options: a mode for every generated instruction and per-module overrides, each
 * {@code soft} or {@code brutal}. Empty means the builder's default, soft: with soft, install_release refuses
 * (before its point of no return) while a process still runs old code, instead of killing it.
 */
public record PurgeOptions(Optional<String> mode, Map<String, String> modules) {

    public PurgeOptions {
        mode.ifPresent(PurgeOptions::requireKind);
        modules.values().forEach(PurgeOptions::requireKind);
        modules = Map.copyOf(modules);
    }

    public static PurgeOptions defaults() {
        return new PurgeOptions(Optional.empty(), Map.of());
    }

    public static PurgeOptions mode(Optional<String> mode) {
        return new PurgeOptions(mode, Map.of());
    }

    /** The same options with {@code module} purged {@code kind}. */
    public PurgeOptions with(String module, String kind) {
        Map<String, String> m = new TreeMap<>(modules);
        m.put(module, kind);
        return new PurgeOptions(mode, m);
    }

    /** {@code --purge MODE --purge-module MOD=KIND ...}, modules sorted so a command line is stable. */
    public List<String> args() {
        List<String> args = new ArrayList<>();
        mode.ifPresent(m -> args.addAll(List.of("--purge", m)));
        new TreeMap<>(modules).forEach((mod, kind) -> args.addAll(List.of("--purge-module", mod + "=" + kind)));
        return args;
    }

    private static void requireKind(String kind) {
        if (!kind.equals("soft") && !kind.equals("brutal")) {
            throw new IllegalArgumentException("purge takes soft or brutal, not " + kind);
        }
    }
}
