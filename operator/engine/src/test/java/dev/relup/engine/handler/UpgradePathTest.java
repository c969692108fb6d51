package dev.relup.engine.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.OtpErlangObject;
import dev.relup.engine.node.Terms;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpgradePathTest {

    static final RelupFile R020 = new RelupFile("0.2.0", List.of("0.1.0"), List.of("0.1.0"));
    static final RelupFile R030 = new RelupFile("0.3.0", List.of("0.2.0"), List.of("0.2.0"));

    @Test
    void upWhenTheTargetsRelupCoversTheRunningVersion() {
        var p = UpgradePath.find("0.1.0", "0.2.0", Optional.of(R020), Optional.empty(), false);
        assertTrue(p.found());
        assertEquals(UpgradePath.Direction.UP, p.path().direction());
    }

    @Test
    void theSeedsTrap() {
        // running 0.1.0 (after a downgrade), package 0.3.0 built from 0.2.0
        var p = UpgradePath.find("0.1.0", "0.3.0", Optional.of(R030), Optional.empty(), false);
        assertFalse(p.found());
        assertTrue(p.failure().message().contains("upgrades only from [0.2.0]"), p.failure().message());
    }

    @Test
    void downOnlyWhileTheTargetIsStillOnTheNode() {
        assertEquals(UpgradePath.Direction.DOWN,
                UpgradePath.find("0.2.0", "0.1.0", Optional.empty(), Optional.of(R020), true).path().direction());
        var gone = UpgradePath.find("0.2.0", "0.1.0", Optional.empty(), Optional.of(R020), false);
        assertFalse(gone.found());
        assertTrue(gone.failure().message().contains("no longer on the node"));
    }

    @Test
    void noRelupAtAllIsNoPath() {
        // what check_install_release would have said ok to
        assertFalse(UpgradePath.find("0.1.0", "0.2.0", Optional.empty(), Optional.empty(), true).found());
        assertFalse(UpgradePath.find("0.2.0", "0.2.0", Optional.of(R020), Optional.of(R020), true).found());
    }

    @Test
    void relupTermsAreRead() {
        OtpErlangObject instr = Terms.list(Terms.atom("point_of_no_return"));
        OtpErlangObject term = Terms.tuple(Terms.charlist("0.2.0"),
                Terms.list(Terms.tuple(Terms.charlist("0.1.0"), Terms.list(), instr)),
                Terms.list(Terms.tuple(Terms.charlist("0.1.0"), Terms.list(), instr),
                        Terms.tuple(Terms.charlist("0.0.9"), Terms.list(), instr)));
        RelupFile r = RelupFile.fromTerm(term);
        assertEquals("0.2.0", r.vsn());
        assertEquals(List.of("0.1.0"), r.upFrom());
        assertEquals(List.of("0.1.0", "0.0.9"), r.downTo());
        assertThrows(IllegalArgumentException.class, () -> RelupFile.fromTerm(Terms.atom("x")));
    }
}
