package dev.relup.engine.upgrade;

import dev.relup.engine.handler.Failure;
import dev.relup.engine.handler.FailureException;
import dev.relup.engine.handler.Release;
import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.handler.ReleaseState;
import dev.relup.engine.handler.Releases;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves a node back to a version still on it (state {@code old}), hot: the running release's relup must
 * have a down entry to it. Same shape as {@link InPlaceUpgrade}: {@link #next()}, {@link #perform}, {@link #run()}.
 */
public final class Downgrade {

    private final ReleaseHandlerClient client;
    private final String target;

    public Downgrade(ReleaseHandlerClient client, String target) {
        this.client = client;
        this.target = target;
    }

    public Step next() throws FailureException {
        Releases releases = client.whichReleases();
        Release t = releases.version(target).orElseThrow(() -> new FailureException(new Failure.NoUpgradePath(
                releases.running().map(Release::vsn).orElse("?"), target, target + " is not on the node")));
        boolean script = t.state() == ReleaseState.PERMANENT && client.startScriptIs(t.name(), target);
        return Plan.nextForDowngrade(releases, target, script).orElseThrow();
    }

    public List<StepTiming> perform(Step step) throws FailureException {
        List<StepTiming> done = new ArrayList<>();
        String release = releaseName();
        switch (step) {
            case CHECK_PATH, INSTALL -> {
                Stopwatch c = new Stopwatch();
                var path = client.checkPath(target);
                done.add(new StepTiming(Step.CHECK_PATH, c.millis(), path.direction() + " " + path.from() + " -> "
                        + path.to() + " (relup files on the node)"));
                if (step == Step.INSTALL) {
                    Stopwatch w = new Stopwatch();
                    client.install(target);
                    done.add(new StepTiming(Step.INSTALL, w.millis(), "install_release(\"" + target + "\")"));
                }
            }
            case MAKE_PERMANENT -> {
                Stopwatch w = new Stopwatch();
                client.makePermanent(release, target);
                done.add(new StepTiming(Step.MAKE_PERMANENT, w.millis(), "make_permanent + bin/" + release
                        + " <- bin/" + release + "-" + target));
            }
            case TRANSFER, UNPACK -> throw new IllegalArgumentException(step + " is not part of a downgrade");
            case DONE -> { }
        }
        return done;
    }

    public UpgradeReport run() throws FailureException {
        Stopwatch total = new Stopwatch();
        String from = client.runningVsn();
        return InPlaceUpgrade.Sequence.run(client, from, releaseName(), target, this::next, this::perform, total);
    }

    private String releaseName() throws FailureException {
        return client.whichReleases().version(target).map(Release::name)
                .orElseThrow(() -> new FailureException(new Failure.NoUpgradePath("?", target,
                        target + " is not on the node")));
    }
}
