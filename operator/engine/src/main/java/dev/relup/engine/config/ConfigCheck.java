package dev.relup.engine.config;

/** What the node said of a configuration text: accepted with its parsed overrides, or rejected with a reason. */
public sealed interface ConfigCheck {

    /** @param release the release name and {@code vsn} the version whose applications the overrides were checked against */
    record Accepted(Overrides overrides, String release, String vsn) implements ConfigCheck {}

    /** @param reason one sentence for status and events, e.g. {@code does not parse: line 1: syntax error before: 1500} */
    record Rejected(String text, String reason) implements ConfigCheck {}
}
