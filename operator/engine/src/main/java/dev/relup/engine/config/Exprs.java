package dev.relup.engine.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Erlang evaluated on the node, kept as {@code *.exprs} resources (real Erlang, readable and diffable, rather
 * than Java strings). Every operation is {@code check.exprs} (parse and check the text) followed by its own part.
 */
final class Exprs {

    static final String VALIDATE = load("check") + load("validate");
    static final String APPLY = load("check") + load("apply");
    static final String PERSIST = load("check") + load("persist");

    private Exprs() {
    }

    private static String load(String name) {
        try (InputStream in = Exprs.class.getResourceAsStream(name + ".exprs")) {
            if (in == null) {
                throw new IllegalStateException(name + ".exprs is missing from the engine jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
