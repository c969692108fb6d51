package dev.relup.operator.decide;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Whether a release version is one an appup's up entry names. OTP's semantics: a string entry is the version itself,
 * a binary entry is a regular expression that must match the whole version. The build report gives both as text, so
 * an entry matches when it equals the version or, read as a pattern, matches all of it.
 *
 * <p>The patterns come from the user's image (through the build Job), so a match is bounded: java.util.regex has no
 * timeout, and a pattern such as {@code (a|a)*b} takes exponential time; the input counts its reads and gives up.
 */
final class AppupVersions {

    /** Character reads a match may take: far more than any sane pattern needs on a 63-character version. */
    private static final int BUDGET = 200_000;
    /** What a literal version looks like (spec.version's rule): such an entry is told as a version, not a pattern. */
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z]([0-9A-Za-z._+-]*[0-9A-Za-z])?");

    private AppupVersions() {}

    /** Whether one of {@code entries} names {@code version}. */
    static boolean named(List<String> entries, String version) {
        return entries.stream().anyMatch(e -> matches(e, version));
    }

    static boolean matches(String entry, String version) {
        if (entry.equals(version)) {
            return true;
        }
        try {
            return Pattern.compile(entry).matcher(new Budgeted(version)).matches();
        } catch (PatternSyntaxException | Budgeted.Exhausted e) {
            return false;
        }
    }

    /** How an entry is told in a message: a version as it is, a pattern as one. */
    static String words(String entry) {
        return VERSION.matcher(entry).matches() ? entry : "a version matching " + entry;
    }

    /** A CharSequence that throws once read more than {@link #BUDGET} times. */
    private static final class Budgeted implements CharSequence {
        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super(null, null, false, false);
            }
        }

        private final String s;
        private int reads;

        Budgeted(String s) {
            this.s = s;
        }

        @Override
        public char charAt(int index) {
            if (++reads > BUDGET) {
                throw new Exhausted();
            }
            return s.charAt(index);
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return s.subSequence(start, end);
        }

        @Override
        public String toString() {
            return s;
        }
    }
}
