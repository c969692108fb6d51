package dev.relup.operator.packaging;

/**
 * What a move asked its build for: the release ({@code spec.release}) and the versions it moves between, and whether
 * its Job rehearses (then a hot package comes with a rehearsal). The build runs the user's images, so its output is
 * held against this before any of its values is used.
 */
public record ExpectedBuild(String release, String from, String to, boolean rehearsed) {

    public ExpectedBuild(String release, String from, String to) {
        this(release, from, to, false);
    }
}
