package dev.relup.operator.packaging;

/**
 * What a move asked its build for: the release ({@code spec.release}) and the versions it moves between. The build
 * runs the user's images, so its report is held against this before any of its values is used.
 */
public record ExpectedBuild(String release, String from, String to) {}
