package dev.relup.engine.node;

/**
 * A long Erlang node name, {@code alive@host}. Long names only: release nodes run with {@code -name}, and
 * a pod is addressed by IP, which short names cannot express.
 */
public record NodeName(String alive, String host) {

    public NodeName {
        if (alive == null || alive.isBlank() || host == null || host.isBlank()) {
            throw new IllegalArgumentException("a node name needs both parts, alive@host");
        }
    }

    /** Parses {@code alive@host}; rejects short names without a host. */
    public static NodeName parse(String full) {
        int at = full == null ? -1 : full.indexOf('@');
        if (at <= 0 || at == full.length() - 1 || full.indexOf('@', at + 1) >= 0) {
            throw new IllegalArgumentException("not a node name (expected alive@host): " + full);
        }
        return new NodeName(full.substring(0, at), full.substring(at + 1));
    }

    @Override
    public String toString() {
        return alive + "@" + host;
    }
}
