package dev.relup.engine.node;

import java.util.Objects;

/**
 * The distribution cookie. A class of its own so that it can never end up in a log line or an exception
 * message by accident: {@link #toString()} is masked, and the value is only handed to Jinterface.
 */
public final class Cookie {

    private final String value;

    private Cookie(String value) {
        this.value = value;
    }

    public static Cookie of(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("the cookie is empty");
        }
        return new Cookie(value);
    }

    /** The secret itself; package-private so only the connection code reads it. */
    String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "Cookie[***]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cookie c && c.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }
}
