package dev.relup.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpInputStream;
import com.ericsson.otp.erlang.OtpOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TermsTest {

    @Test
    void textAcceptsEveryStringShape() {
        assertEquals("0.2.0", Terms.text(new OtpErlangString("0.2.0")));
        assertEquals("ab", Terms.text(new OtpErlangList(new OtpErlangObject[] {
                new OtpErlangLong('a'), new OtpErlangLong('b')})));
        assertEquals("", Terms.text(new OtpErlangList()));
        assertEquals("/opt/release", Terms.text(Terms.binary("/opt/release".getBytes(StandardCharsets.UTF_8))));
        assertEquals("permanent", Terms.text(Terms.atom("permanent")));
        assertThrows(IllegalArgumentException.class, () -> Terms.text(Terms.integer(1)));
    }

    @Test
    void charlistSurvivesTheWireEvenWhenEmpty() throws Exception {
        for (String s : new String[] {"", "0.1.0/ticker", "x".repeat(70_000)}) {
            OtpOutputStream out = new OtpOutputStream(Terms.charlist(s));
            OtpErlangObject back = new OtpInputStream(out.toByteArray()).read_any();
            assertEquals(s, Terms.text(back));
        }
    }

    @Test
    void taggedMatchesTagAndArity() {
        OtpErlangObject err = Terms.tuple(Terms.atom("error"), Terms.atom("enoent"));
        assertTrue(Terms.tagged(err, "error", 2).isPresent());
        assertFalse(Terms.tagged(err, "error", 3).isPresent());
        assertFalse(Terms.tagged(err, "ok", 2).isPresent());
        assertFalse(Terms.tagged(Terms.atom("error"), "error", 2).isPresent());
    }

    @Test
    void elementsSeesAStringAsCharacters() {
        assertEquals(3, Terms.elements(new OtpErlangString("abc")).size());
        assertEquals(2, Terms.elements(Terms.list(Terms.atom("a"), Terms.atom("b"))).size());
    }

    @Test
    void showCutsLongTerms() {
        String shown = Terms.show(new OtpErlangString("y".repeat(1000)), 50);
        assertEquals(53, shown.length());
        assertTrue(shown.endsWith("..."));
    }

    @Test
    void nodeNamesAreLongNames() {
        NodeName n = NodeName.parse("ticker@10.0.0.7");
        assertEquals("ticker", n.alive());
        assertEquals("10.0.0.7", n.host());
        assertEquals("ticker@10.0.0.7", n.toString());
        assertThrows(IllegalArgumentException.class, () -> NodeName.parse("ticker"));
        assertThrows(IllegalArgumentException.class, () -> NodeName.parse("@host"));
        assertThrows(IllegalArgumentException.class, () -> NodeName.parse("a@b@c"));
    }

    @Test
    void cookieNeverPrints() {
        Cookie c = Cookie.of("s3cret");
        assertFalse(c.toString().contains("s3cret"));
        assertFalse(String.valueOf(java.util.List.of(c)).contains("s3cret"));
        assertThrows(IllegalArgumentException.class, () -> Cookie.of(""));
    }
}
