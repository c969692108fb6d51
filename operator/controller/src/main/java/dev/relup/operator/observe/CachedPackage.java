package dev.relup.operator.observe;

import java.nio.file.Path;
import java.util.List;

/** A relup package fetched from a build Job into the operator's cache, with what its build report said. */
public record CachedPackage(
        Path file,
        String sha256,
        String release,
        String from,
        String to,
        boolean hot,
        List<String> reasons) {

    public CachedPackage {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }
}
