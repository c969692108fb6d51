package dev.relup.engine.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Application environment overrides the node accepted.
 *
 * @param text the overrides as the node printed them back ({@code [{ticker,[{ticker,1500}]}].}): what is applied
 *             and persisted is always re-parsed from text, so no Erlang term travels through Java
 * @param keys per application, the keys overridden, in the order written
 */
public record Overrides(String text, Map<String, List<String>> keys) {

    /** No overrides: the release's own configuration. */
    public static final Overrides NONE = new Overrides("[].", Map.of());

    public Overrides {
        keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }
}
