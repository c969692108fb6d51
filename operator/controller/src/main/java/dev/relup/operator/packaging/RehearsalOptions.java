package dev.relup.operator.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.relup.api.v1alpha1.ErlangReleaseSpec;
import dev.relup.api.v1alpha1.HealthCheck;

/**
 * How a build Job rehearses its package ({@code spec.rehearse}, on unless false, with {@code spec.healthCheck}).
 * Part of the build's identity: a package rehearsed with another health check, or not at all, is another entry of
 * the package cache, so turning rehearsal on or changing the check rehearses again.
 */
public record RehearsalOptions(String healthModule, String healthFunction, String healthArgs, Integer healthTimeout) {

    /** Empty when the spec turns rehearsal off; a null spec means the CRD's defaults. */
    public static Optional<RehearsalOptions> of(ErlangReleaseSpec spec) {
        if (spec != null && Boolean.FALSE.equals(spec.getRehearse())) {
            return Optional.empty();
        }
        HealthCheck h = spec == null ? null : spec.getHealthCheck();
        return Optional.of(h == null ? new RehearsalOptions(null, null, null, null)
                : new RehearsalOptions(h.getModule(), h.getFunction(), h.getArgs(), h.getTimeoutSeconds()));
    }

    /** The escript's health flags, shell-quoted (the args are an Erlang term in text, anything may be in it). */
    String healthFlags() {
        if (healthModule == null || healthFunction == null) {
            return "";
        }
        List<String> flags = new ArrayList<>();
        flags.add("--health " + quote(healthModule + ":" + healthFunction));
        flags.add("--health-args " + quote(healthArgs == null ? "[]" : healthArgs));
        if (healthTimeout != null) {
            flags.add("--health-timeout " + healthTimeout);
        }
        return " " + String.join(" ", flags);
    }

    /** What goes into the build's spec hash. */
    String identity() {
        return "rehearse\n" + healthModule + '\n' + healthFunction + '\n' + healthArgs + '\n' + healthTimeout + '\n';
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
