package dev.relup.engine.upgrade;

import dev.relup.engine.handler.Release;
import dev.relup.engine.handler.Releases;

/**
 * The one step machine of a node move: decides the next step from what the node reports, a pure function, so a
 * reconciler can observe, decide, act once and requeue, and a step that already happened (status write lost, a
 * mover killed between two steps) is never done twice nor skipped. {@link NodeMove} runs it against a node; the
 * operator runs it one step per reconcile action.
 */
public final class Plan {

    private Plan() {
    }

    /**
     * The next step to bring the node to {@code target}, upgrade or downgrade alike.
     *
     * @param packageOnNode      whether releases/TARGET/REL.tar.gz on the node matches the package (only asked
     *                           while the target is not on the node)
     * @param startScriptCurrent whether bin/REL already is bin/REL-TARGET (only asked while the target is permanent)
     * @return TRANSFER or UNPACK when the target is not on the node: the mover needs the package for them
     */
    public static Step next(Releases releases, String target, boolean packageOnNode, boolean startScriptCurrent) {
        return releases.version(target)
                .map(t -> installed(releases, t, startScriptCurrent))
                .orElse(packageOnNode ? Step.UNPACK : Step.TRANSFER);
    }

    private static Step installed(Releases releases, Release target, boolean startScriptCurrent) {
        boolean running = releases.running().map(r -> r.vsn().equals(target.vsn())).orElse(false);
        return switch (target.state()) {
            // permanent but another version installed on top (current): go back to it with install_release
            case PERMANENT -> !running ? Step.INSTALL : startScriptCurrent ? Step.DONE : Step.COPY_START_SCRIPT;
            case CURRENT -> Step.MAKE_PERMANENT;
            case UNPACKED, OLD -> Step.INSTALL;
        };
    }
}
