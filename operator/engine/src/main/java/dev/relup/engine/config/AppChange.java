package dev.relup.engine.config;

import java.util.List;
import java.util.Map;

/**
 * One application's environment change, as {@code application_controller:do_config_diff/2} computes it for
 * {@code config_change/3}: values are shown as Erlang terms printed on the node.
 *
 * @param changed keys whose value changed, with the new value
 * @param added   keys that were not set before, with their value
 * @param removed keys no longer set
 */
public record AppChange(String app, Map<String, String> changed, Map<String, String> added, List<String> removed,
        Callback callback) {

    public AppChange {
        changed = Map.copyOf(changed);
        added = Map.copyOf(added);
        removed = List.copyOf(removed);
    }

    public boolean envChanged() {
        return !changed.isEmpty() || !added.isEmpty() || !removed.isEmpty();
    }
}
