package dev.relup.engine.handler;

/**
 * A successful {@code install_release}: {@code {ok, OtherVsn, Descr}}. {@code otherVsn} is the version
 * left on an upgrade and the version arrived at on a downgrade (that is how release_handler reports it).
 */
public record Installed(String vsn, String otherVsn, String description) {
}
