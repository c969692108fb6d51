package dev.relup.engine.upgrade;

import dev.relup.engine.config.LiveConfig;
import dev.relup.engine.handler.Failure;
import dev.relup.engine.handler.FailureException;
import dev.relup.engine.handler.Installed;
import dev.relup.engine.handler.Release;
import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.handler.ReleasePackage;
import dev.relup.engine.handler.ReleaseState;
import dev.relup.engine.handler.Releases;
import dev.relup.engine.handler.TransferResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Moves one node to a target version, hot, through release_handler: an upgrade to the release in a package, or a
 * move (usually a downgrade) to a version still on the node.
 * <ol>
 *   <li>{@link #next()} observes the node and lets {@link Plan} pick the next {@link Step}, so steps that already
 *       happened are skipped and none is missed;</li>
 *   <li>{@link #perform(Step)} does that one step. TRANSFER, UNPACK and INSTALL check the upgrade path first, so a
 *       node without a path from its running version is never written to;</li>
 *   <li>{@link #run()} repeats both until DONE (relupctl); the operator calls next/perform once per action.</li>
 * </ol>
 */
public final class NodeMove {

    private final ReleaseHandlerClient client;
    private final String target;
    private final Optional<ReleasePackage> pkg;

    private NodeMove(ReleaseHandlerClient client, String target, Optional<ReleasePackage> pkg) {
        this.client = client;
        this.target = target;
        this.pkg = pkg;
    }

    /** To the release in {@code pkg}; the package is copied only when the node does not have that version yet. */
    public static NodeMove toPackage(ReleaseHandlerClient client, ReleasePackage pkg) {
        return new NodeMove(client, pkg.vsn(), Optional.of(pkg));
    }

    /** To {@code target}, which must still be on the node (unpacked, old, or permanent under a current one). */
    public static NodeMove toInstalled(ReleaseHandlerClient client, String target) {
        return new NodeMove(client, target, Optional.empty());
    }

    /** With a package when one is at hand, else to a version the node must still have. */
    public static NodeMove to(ReleaseHandlerClient client, String target, Optional<ReleasePackage> pkg) {
        return pkg.map(p -> toPackage(client, p)).orElseGet(() -> toInstalled(client, target));
    }

    public String target() {
        return target;
    }

    /** Observes the node: which step brings it closer to the target. */
    public Step next() throws FailureException {
        Releases releases = client.whichReleases();
        Optional<Release> t = releases.version(target);
        boolean packageOnNode = t.isEmpty() && pkg.isPresent() && client.hasPackage(pkg.get());
        boolean script = t.isPresent() && t.get().state() == ReleaseState.PERMANENT
                && client.startScriptIs(t.get().name(), target);
        Step step = Plan.next(releases, target, packageOnNode, script);
        if ((step == Step.TRANSFER || step == Step.UNPACK) && pkg.isEmpty()) {
            throw new FailureException(new Failure.NoPackage(target));
        }
        return step;
    }

    /** Does one step (with its path check first where the step writes to the node); returns the timings. */
    public List<StepTiming> perform(Step step) throws FailureException {
        List<StepTiming> done = new ArrayList<>();
        switch (step) {
            case CHECK_PATH -> done.add(checkPath());
            case TRANSFER -> {
                done.add(checkPath());
                Stopwatch w = new Stopwatch();
                TransferResult t = client.transfer(requirePackage(step));
                done.add(new StepTiming(Step.TRANSFER, w.millis(), t.skipped() ? "skipped: already on the node"
                        : t.bytes() + " bytes in " + t.chunks() + " chunks, " + t.algorithm() + " verified on the node"));
            }
            case UNPACK -> {
                done.add(checkPath());
                Stopwatch w = new Stopwatch();
                client.unpack(requirePackage(step));
                done.add(new StepTiming(Step.UNPACK, w.millis(), "unpack_release(\"" + requirePackage(step).unpackName() + "\")"));
            }
            case INSTALL -> {
                Stopwatch c = new Stopwatch();
                var path = client.checkPath(target);
                done.add(new StepTiming(Step.CHECK_PATH, c.millis(), path.direction() + " " + path.from()
                        + " -> " + path.to() + " (relup files on the node)"));
                Stopwatch w = new Stopwatch();
                // install_release reads the target's sys.config: the live overrides must be in it first
                boolean carried = LiveConfig.carry(client, target);
                var installed = install();
                done.add(new StepTiming(Step.INSTALL, w.millis(), "install_release(\"" + target + "\") from "
                        + installed.otherVsn() + (carried ? ", with the node's live config overrides" : "")));
            }
            case MAKE_PERMANENT -> {
                Stopwatch w = new Stopwatch();
                client.makePermanent(target);
                done.add(new StepTiming(Step.MAKE_PERMANENT, w.millis(), "make_permanent(\"" + target + "\")"));
            }
            case COPY_START_SCRIPT -> {
                String release = releaseName();
                Stopwatch w = new Stopwatch();
                client.copyStartScript(release, target);
                done.add(new StepTiming(Step.COPY_START_SCRIPT, w.millis(), "bin/" + release + " <- bin/" + release
                        + "-" + target));
            }
            case DONE -> { }
        }
        return done;
    }

    /** Runs every remaining step; on failure the node keeps (or is restarted into) the version it had. */
    public UpgradeReport run() throws FailureException {
        Stopwatch total = new Stopwatch();
        String from = client.runningVsn();
        List<StepTiming> steps = new ArrayList<>();
        Step previous = null;
        for (Step step = next(); step != Step.DONE; step = next()) {
            if (step == previous) {
                // release_handler said ok but the node does not show it: do not loop forever
                throw new FailureException(new Failure.HandlerError(step.name().toLowerCase(),
                        "the step reported success but the node still needs it"));
            }
            steps.addAll(perform(step));
            previous = step;
        }
        String after = client.whichReleases().running().map(Release::vsn).orElse("?");
        return new UpgradeReport(client.node().toString(), releaseName(), from, after, steps, total.millis());
    }

    /**
     * install_release; when soft purge refuses it, a release this move unpacked is removed again: the node then
     * shows the releases it had before the move, and a package built with other purge options (same version) is
     * unpacked afresh instead of this one's relup being installed, and refused, again.
     */
    private Installed install() throws FailureException {
        try {
            return client.install(target);
        } catch (FailureException e) {
            if (e.failure() instanceof Failure.OldProcesses refused && pkg.isPresent()
                    && client.whichReleases().version(target).map(r -> r.state() == ReleaseState.UNPACKED)
                            .orElse(false)) {
                client.removeRelease(target);
                throw new FailureException(refused.withUnpackedRemoved(), e);
            }
            throw e;
        }
    }

    private StepTiming checkPath() throws FailureException {
        Stopwatch w = new Stopwatch();
        var path = pkg.isPresent() ? client.checkPath(pkg.get()) : client.checkPath(target);
        return new StepTiming(Step.CHECK_PATH, w.millis(), path.direction() + " " + path.from() + " -> "
                + path.to() + (pkg.isPresent() ? " (relup in the package)" : " (relup files on the node)"));
    }

    private ReleasePackage requirePackage(Step step) {
        return pkg.orElseThrow(() -> new IllegalStateException(step + " needs the package"));
    }

    private String releaseName() throws FailureException {
        if (pkg.isPresent()) {
            return pkg.get().release();
        }
        return client.whichReleases().version(target).map(Release::name)
                .orElseThrow(() -> new FailureException(new Failure.NoUpgradePath("?", target,
                        target + " is not on the node")));
    }
}
