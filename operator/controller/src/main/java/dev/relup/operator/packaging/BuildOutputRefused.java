package dev.relup.operator.packaging;

import java.io.IOException;

/**
 * The output of a build Job was refused: its report does not match the move, names a file outside the package cache,
 * or report or package is too large. Unlike a broken copy this will not change by fetching again (the same Job gives
 * the same output), so the move fails with this message instead of retrying.
 */
public final class BuildOutputRefused extends IOException {

    /** Which reason the move fails with: a version mismatch is most likely an image of another version. */
    public enum Kind { VERSION_MISMATCH, REFUSED }

    private final Kind kind;

    public BuildOutputRefused(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BuildOutputRefused(String message) {
        this(Kind.REFUSED, message);
    }

    public Kind kind() {
        return kind;
    }
}
