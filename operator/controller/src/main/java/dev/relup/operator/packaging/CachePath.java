package dev.relup.operator.packaging;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Paths inside the package cache built from names that are not the operator's own (a report's release and version).
 * Each name must be one plain file name, and the resolved path must stay under the directory: either check alone
 * would do today, both together survive a change to the other.
 */
final class CachePath {

    /** Release names, versions, namespaces and Job names: no separator, no "..", no leading dot. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,252}");

    private CachePath() {}

    /** {@code dir/name}, or refused when {@code name} is not a plain file name or the result leaves {@code dir}. */
    static Path inside(Path dir, String name, String what) throws BuildOutputRefused {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new BuildOutputRefused(what + " '" + name + "' cannot name a file in the package cache (letters, digits,"
                    + " '.', '_', '+', '-' only, no '..'); refused, nothing written");
        }
        Path base = dir.toAbsolutePath().normalize();
        Path resolved = base.resolve(name).normalize();
        if (!resolved.getParent().equals(base)) {
            throw new BuildOutputRefused(what + " '" + name + "' resolves to " + resolved + ", outside " + base
                    + "; refused, nothing written");
        }
        return resolved;
    }

    /** The file a package is kept under: {@code <release>-<to>.tar.gz}, as the builder names it. */
    static String packageFileName(String release, String to) throws BuildOutputRefused {
        inside(Path.of("/"), release, "release");
        inside(Path.of("/"), to, "version");
        return release + "-" + to + ".tar.gz";
    }
}
