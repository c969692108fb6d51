package dev.relup.engine.node;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangRangeException;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Conversions between Java values and Erlang terms. Erlang "strings" arrive in three shapes (a string
 * ext, a list of integers, the empty list) and file names may come back as binaries: {@link #text} accepts
 * all of them so callers never depend on how the term happened to be encoded.
 */
public final class Terms {

    private Terms() {
    }

    public static OtpErlangAtom atom(String name) {
        return new OtpErlangAtom(name);
    }

    /** An Erlang string (a list of characters), what file names and release versions are in OTP APIs. */
    public static OtpErlangObject charlist(String s) {
        return s.isEmpty() ? new OtpErlangList() : new OtpErlangString(s);
    }

    public static OtpErlangBinary binary(byte[] bytes) {
        return new OtpErlangBinary(bytes);
    }

    public static OtpErlangTuple tuple(OtpErlangObject... elements) {
        return new OtpErlangTuple(elements);
    }

    public static OtpErlangList list(OtpErlangObject... elements) {
        return new OtpErlangList(elements);
    }

    public static OtpErlangList list(List<? extends OtpErlangObject> elements) {
        return new OtpErlangList(elements.toArray(new OtpErlangObject[0]));
    }

    public static OtpErlangLong integer(long value) {
        return new OtpErlangLong(value);
    }

    public static boolean isAtom(OtpErlangObject term, String name) {
        return term instanceof OtpErlangAtom a && a.atomValue().equals(name);
    }

    /** The elements of a tuple tagged with {@code tag} and of the given arity, or empty. */
    public static Optional<OtpErlangObject[]> tagged(OtpErlangObject term, String tag, int arity) {
        if (term instanceof OtpErlangTuple t && t.arity() == arity && isAtom(t.elementAt(0), tag)) {
            return Optional.of(t.elements());
        }
        return Optional.empty();
    }

    /** Text from a string, a charlist, a binary (UTF-8) or an atom. */
    public static String text(OtpErlangObject term) {
        if (term instanceof OtpErlangString s) {
            return s.stringValue();
        }
        if (term instanceof OtpErlangBinary b) {
            return new String(b.binaryValue(), StandardCharsets.UTF_8);
        }
        if (term instanceof OtpErlangAtom a) {
            return a.atomValue();
        }
        if (term instanceof OtpErlangList l) {
            if (l.arity() == 0) {
                return "";
            }
            try {
                return l.stringValue();
            } catch (Exception e) {
                throw new IllegalArgumentException("not a string: " + term, e);
            }
        }
        throw new IllegalArgumentException("not a string: " + term);
    }

    /** The elements of a proper list; a string ext is seen as a list of characters. */
    public static List<OtpErlangObject> elements(OtpErlangObject term) {
        if (term instanceof OtpErlangList l) {
            return List.of(l.elements());
        }
        if (term instanceof OtpErlangString s) {
            List<OtpErlangObject> chars = new ArrayList<>();
            s.stringValue().codePoints().forEach(c -> chars.add(new OtpErlangLong(c)));
            return chars;
        }
        throw new IllegalArgumentException("not a list: " + term);
    }

    public static long longValue(OtpErlangObject term) {
        if (term instanceof OtpErlangLong l) {
            return l.longValue();
        }
        throw new IllegalArgumentException("not an integer: " + term);
    }

    public static int intValue(OtpErlangObject term) {
        try {
            if (term instanceof OtpErlangLong l) {
                return l.intValue();
            }
        } catch (OtpErlangRangeException e) {
            throw new IllegalArgumentException("integer out of range: " + term, e);
        }
        throw new IllegalArgumentException("not an integer: " + term);
    }

    /** Erlang-looking rendering for error messages, cut short so a huge term cannot flood a status field. */
    public static String show(OtpErlangObject term, int max) {
        String s = String.valueOf(term);
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
