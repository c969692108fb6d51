package dev.relup.engine.upgrade;

import dev.relup.engine.handler.Release;
import dev.relup.engine.handler.Releases;
import java.util.Optional;

/**
 * Decides the next step from what the node reports: a pure function, so a reconciler can observe, decide,
 * act once and requeue, and a step that already happened (status write lost, retry after a crash) is
 * never done twice.
 */
public final class Plan {

    private Plan() {
    }

    /**
     * The next step to bring the node to {@code target} when a package for it is at hand.
     *
     * @param packageOnNode      whether releases/TARGET/REL.tar.gz on the node matches the package
     * @param startScriptCurrent whether bin/REL already is bin/REL-TARGET
     */
    public static Step nextForUpgrade(Releases releases, String target, boolean packageOnNode,
            boolean startScriptCurrent) {
        Optional<Release> t = releases.version(target);
        if (t.isEmpty()) {
            return packageOnNode ? Step.UNPACK : Step.TRANSFER;
        }
        return installed(releases, t.get(), startScriptCurrent);
    }

    /** The next step to bring the node back to {@code target}, which must still be on the node. */
    public static Optional<Step> nextForDowngrade(Releases releases, String target, boolean startScriptCurrent) {
        return releases.version(target).map(r -> installed(releases, r, startScriptCurrent));
    }

    private static Step installed(Releases releases, Release target, boolean startScriptCurrent) {
        boolean running = releases.running().map(r -> r.vsn().equals(target.vsn())).orElse(false);
        return switch (target.state()) {
            // permanent but another version installed on top (current): go back to it with install_release
            case PERMANENT -> !running ? Step.INSTALL : startScriptCurrent ? Step.DONE : Step.MAKE_PERMANENT;
            case CURRENT -> Step.MAKE_PERMANENT;
            case UNPACKED, OLD -> Step.INSTALL;
        };
    }
}
