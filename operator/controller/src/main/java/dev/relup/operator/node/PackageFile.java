package dev.relup.operator.node;

import java.nio.file.Path;

/**
 * The relup package of a move on the operator's disk, with the sha256 recorded in {@code status.move.packageSha256}
 * when it was fetched: a transfer sends these bytes or nothing.
 */
public record PackageFile(Path file, String sha256) {}
