package dev.relup.engine.upgrade;

import dev.relup.engine.handler.Failure;
import dev.relup.engine.handler.FailureException;
import dev.relup.engine.handler.Release;
import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.handler.ReleasePackage;
import dev.relup.engine.handler.ReleaseState;
import dev.relup.engine.handler.Releases;
import dev.relup.engine.handler.TransferResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves one node to the release in a package, hot, through release_handler:
 * <ol>
 *   <li>{@link #next()} observes the node and decides the next {@link Step} ({@link Plan}), so steps that
 *       already happened are skipped;</li>
 *   <li>{@link #perform(Step)} does that one step. TRANSFER, UNPACK and INSTALL first check the upgrade
 *       path (CHECK_PATH), so a node without a path from its running version is never written to;</li>
 *   <li>{@link #run()} repeats both until DONE (what relupctl does; a reconciler calls next/perform once
 *       per pass instead).</li>
 * </ol>
 */
public final class InPlaceUpgrade {

    private final ReleaseHandlerClient client;
    private final ReleasePackage pkg;

    public InPlaceUpgrade(ReleaseHandlerClient client, ReleasePackage pkg) {
        this.client = client;
        this.pkg = pkg;
    }

    /** Observes the node: which step brings it closer to the package's version. */
    public Step next() throws FailureException {
        Releases releases = client.whichReleases();
        boolean absent = releases.version(pkg.vsn()).isEmpty();
        boolean packageOnNode = absent && client.hasPackage(pkg);
        boolean permanent = releases.version(pkg.vsn()).map(r -> r.state() == ReleaseState.PERMANENT).orElse(false);
        boolean script = permanent && client.startScriptIs(pkg.release(), pkg.vsn());
        return Plan.nextForUpgrade(releases, pkg.vsn(), packageOnNode, script);
    }

    /** Does one step (with its path check first where the step writes to the node); returns the timings. */
    public List<StepTiming> perform(Step step) throws FailureException {
        List<StepTiming> done = new ArrayList<>();
        switch (step) {
            case CHECK_PATH -> done.add(checkPath());
            case TRANSFER -> {
                done.add(checkPath());
                Stopwatch w = new Stopwatch();
                TransferResult t = client.transfer(pkg);
                done.add(new StepTiming(Step.TRANSFER, w.millis(), t.skipped() ? "skipped: already on the node"
                        : t.bytes() + " bytes in " + t.chunks() + " chunks, " + t.algorithm() + " verified on the node"));
            }
            case UNPACK -> {
                done.add(checkPath());
                Stopwatch w = new Stopwatch();
                client.unpack(pkg);
                done.add(new StepTiming(Step.UNPACK, w.millis(), "unpack_release(\"" + pkg.unpackName() + "\")"));
            }
            case INSTALL -> {
                Stopwatch c = new Stopwatch();
                var path = client.checkPath(pkg.vsn());
                done.add(new StepTiming(Step.CHECK_PATH, c.millis(), path.direction() + " " + path.from()
                        + " -> " + path.to() + " (relup files on the node)"));
                Stopwatch w = new Stopwatch();
                var installed = client.install(pkg.vsn());
                done.add(new StepTiming(Step.INSTALL, w.millis(), "install_release: from " + installed.otherVsn()));
            }
            case MAKE_PERMANENT -> {
                Stopwatch w = new Stopwatch();
                client.makePermanent(pkg.release(), pkg.vsn());
                done.add(new StepTiming(Step.MAKE_PERMANENT, w.millis(), "make_permanent + bin/" + pkg.release()
                        + " <- bin/" + pkg.release() + "-" + pkg.vsn()));
            }
            case DONE -> { }
        }
        return done;
    }

    /** Runs every remaining step; on failure the node keeps (or is restarted into) the version it had. */
    public UpgradeReport run() throws FailureException {
        Stopwatch total = new Stopwatch();
        String from = client.runningVsn();
        return Sequence.run(client, from, pkg.release(), pkg.vsn(), this::next, this::perform, total);
    }

    private StepTiming checkPath() throws FailureException {
        Stopwatch w = new Stopwatch();
        var path = client.checkPath(pkg);
        return new StepTiming(Step.CHECK_PATH, w.millis(), path.direction() + " " + path.from() + " -> "
                + path.to() + " (relup in the package)");
    }

    /** The loop shared by upgrade and downgrade: observe, act, until DONE, refusing to spin. */
    static final class Sequence {
        interface Next {
            Step get() throws FailureException;
        }

        interface Perform {
            List<StepTiming> apply(Step step) throws FailureException;
        }

        static UpgradeReport run(ReleaseHandlerClient client, String from, String release, String to, Next next,
                Perform perform, Stopwatch total) throws FailureException {
            List<StepTiming> steps = new ArrayList<>();
            Step previous = null;
            for (Step step = next.get(); step != Step.DONE; step = next.get()) {
                if (step == previous) {
                    // release_handler said ok but the node does not show it: do not loop forever
                    throw new FailureException(new Failure.HandlerError(step.name().toLowerCase(),
                            "the step reported success but the node still needs it"));
                }
                steps.addAll(perform.apply(step));
                previous = step;
            }
            String after = client.whichReleases().running().map(Release::vsn).orElse("?");
            return new UpgradeReport(client.node().toString(), release, from, after, steps, total.millis());
        }
    }
}
