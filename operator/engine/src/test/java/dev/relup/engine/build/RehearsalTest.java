package dev.relup.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class RehearsalTest {

    /** relup_rehearse 0.1.0 -> 0.9.0 on the real ticker releases, shortened to its failing part. */
    static final String CRASHED = """
            {"rehearsal":{"crash":"code_change failed in ticker_server: {broken_on_purpose,29} at ticker_server:code_change/3; the node restarted (same OS pid 19501, new kernel_sup) and runs 0.1.0",
             "failed_step":"install","from":"0.1.0","millis":7445,"node_port":59779,"release":"ticker","result":"failed",
             "steps":[{"detail":"ticker 0.1.0 started, OS pid 19501","millis":534,"result":"ok","step":"boot"},
              {"detail":"code_change failed in ticker_server: ...","millis":6565,"result":"failed","step":"install"},
              {"detail":"stopped (exit status 0)","millis":102,"result":"ok","step":"stop"}],"to":"0.9.0"}}
            """;

    @Test
    void aFailedRehearsalNamesItsStepAndCrash() throws IOException {
        Rehearsal r = Rehearsal.parse(CRASHED);
        assertFalse(r.passed());
        assertEquals("install", r.failedStep());
        assertTrue(r.crash().contains("broken_on_purpose"));
        assertEquals(3, r.steps().size());
        assertFalse(r.step("install").orElseThrow().ok());
        assertEquals("boot 534 ms, install 6565 ms (failed), stop 102 ms", r.timings());
        assertEquals(r, Rehearsal.parse(r.toJson()));
    }

    @Test
    void aPassedOneHasNoCrash() throws IOException {
        Rehearsal r = Rehearsal.parse("""
                {"rehearsal":{"from":"0.1.0","to":"0.2.0","release":"ticker","millis":799,"result":"passed",
                 "steps":[{"step":"boot","millis":529,"result":"ok","detail":"ticker 0.1.0 started"}]}}""");
        assertTrue(r.passed());
        assertNull(r.failedStep());
        assertNull(r.crash());
    }

    @Test
    void anythingElseIsRefused() {
        assertThrows(IOException.class, () -> Rehearsal.parse("{\"release\":\"ticker\"}"));
        assertThrows(IOException.class, () -> Rehearsal.parse("{\"rehearsal\":{\"result\":\"maybe\"}}"));
        assertThrows(IOException.class, () -> Rehearsal.parse("not json"));
    }
}
