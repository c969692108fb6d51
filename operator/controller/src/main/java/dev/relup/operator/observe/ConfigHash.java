package dev.relup.operator.observe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names a configuration text in status: the first 12 hex digits of its sha256. Canonical texts (as the node prints
 * overrides back, one line) are compared by it; the spec's own text too, to know whether it was validated.
 */
public final class ConfigHash {

    /** No overrides, canonically: what a node without any reports, and what an empty spec.config means. */
    public static final String NONE = "[].";

    private ConfigHash() {
    }

    public static String of(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((text == null ? "" : text.strip())
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The spec asks for no overrides (absent or blank): no node needs to parse it. */
    public static boolean blank(String specText) {
        return specText == null || specText.isBlank();
    }
}
