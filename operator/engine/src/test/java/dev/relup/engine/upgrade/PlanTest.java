package dev.relup.engine.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relup.engine.handler.Release;
import dev.relup.engine.handler.ReleaseState;
import dev.relup.engine.handler.Releases;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {

    static Release r(String vsn, ReleaseState s) {
        return new Release("ticker", vsn, List.of(), s);
    }

    static Releases of(Release... rs) {
        return new Releases(List.of(rs));
    }

    @Test
    void walksTheStepsInOrder() {
        Releases fresh = of(r("0.1.0", ReleaseState.PERMANENT));
        assertEquals(Step.TRANSFER, Plan.next(fresh, "0.2.0", false, false));
        assertEquals(Step.UNPACK, Plan.next(fresh, "0.2.0", true, false));
        Releases unpacked = of(r("0.1.0", ReleaseState.PERMANENT), r("0.2.0", ReleaseState.UNPACKED));
        assertEquals(Step.INSTALL, Plan.next(unpacked, "0.2.0", false, false));
        Releases current = of(r("0.1.0", ReleaseState.PERMANENT), r("0.2.0", ReleaseState.CURRENT));
        assertEquals(Step.MAKE_PERMANENT, Plan.next(current, "0.2.0", false, false));
        Releases permanent = of(r("0.1.0", ReleaseState.OLD), r("0.2.0", ReleaseState.PERMANENT));
        assertEquals(Step.COPY_START_SCRIPT, Plan.next(permanent, "0.2.0", false, false),
                "permanent but bin/REL not yet copied: a restart would boot 0.1.0");
        assertEquals(Step.DONE, Plan.next(permanent, "0.2.0", false, true));
    }

    @Test
    void anOldReleaseIsInstalledAgainWithoutATransfer() {
        Releases down = of(r("0.1.0", ReleaseState.PERMANENT), r("0.2.0", ReleaseState.OLD));
        assertEquals(Step.INSTALL, Plan.next(down, "0.2.0", false, false));
        assertEquals(Step.DONE, Plan.next(down, "0.1.0", false, true));
    }

    @Test
    void permanentButNotRunningNeedsAnInstall() {
        Releases rs = of(r("0.1.0", ReleaseState.PERMANENT), r("0.2.0", ReleaseState.CURRENT));
        assertEquals(Step.INSTALL, Plan.next(rs, "0.1.0", false, true));
    }
}
