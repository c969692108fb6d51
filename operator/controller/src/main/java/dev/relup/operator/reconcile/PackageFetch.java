package dev.relup.operator.reconcile;

import java.io.IOException;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.Move;
import dev.relup.operator.decide.Action;
import dev.relup.operator.decide.Reasons;
import dev.relup.operator.events.Events;
import dev.relup.operator.metrics.MoveMetrics;
import dev.relup.operator.observe.CachedPackage;
import dev.relup.operator.packaging.BuildJobs;
import dev.relup.operator.packaging.BuildOutputRefused;
import dev.relup.operator.packaging.BuildOutputUnreachable;
import dev.relup.operator.packaging.ExpectedBuild;
import dev.relup.operator.packaging.RehearsalOptions;

/**
 * The package of a move pulled from its build Job's output server. A copy that broke off, or a server not reachable
 * yet, is tried again by the next pass; output the operator refuses (a report of another release or version, a path
 * out of the cache, too large, a server unreachable long after it started) fails the move, since the same Job would
 * hand over the same again.
 */
final class PackageFetch {

    private final BuildJobs builds;
    private final Events events;
    private final MoveMetrics metrics;

    PackageFetch(BuildJobs builds, Events events, MoveMetrics metrics) {
        this.builds = builds;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * {@code f} when the package is in the cache (and in {@code p.fetched}, for the plan); the move's failure when
     * the output was refused.
     */
    Action fetch(ErlangRelease cr, Action.FetchPackage f, Progress p, java.time.Instant now) {
        String ns = cr.getMetadata().getNamespace();
        Move m = p.move;
        try {
            CachedPackage c = builds.fetch(ns, f.jobName(), f.podName(), f.podIp(), f.servingSince(),
                    new ExpectedBuild(cr.getSpec().getRelease(), m.getFrom(), m.getTo(),
                            RehearsalOptions.of(cr.getSpec()).isPresent()), now);
            metrics.buildFetched(f.jobName(), now);
            p.fetched = c;
            m.setPackageSha256(c.sha256());
            m.setNotHotReasons(new java.util.ArrayList<>(c.reasons()));
            events.normal(cr, Events.PACKAGE_READY, "package " + c.release() + " " + c.from() + " -> " + c.to()
                    + " sha256 " + c.sha256() + (c.hot() ? ", hot-upgradable" : ", not hot: " + String.join("; ", c.reasons())));
            return f;
        } catch (BuildOutputRefused e) {
            String reason = e.kind() == BuildOutputRefused.Kind.VERSION_MISMATCH ? Reasons.IMAGE_VERSION_MISMATCH
                    : Reasons.BUILD_FAILED;
            return new Action.FailMove(reason, e.getMessage() + "; the pods keep running " + m.getFrom());
        } catch (BuildOutputUnreachable e) {
            // its server is starting: BuildJobs.fetch turns this into a refusal when it lasts
            return new Action.Wait(Reasons.BUILDING, "waiting for the output server of Job " + f.jobName() + ": "
                    + e.getMessage());
        } catch (IOException e) {
            events.warning(cr, Events.STEP_FAILED, "copying the package out of Job " + f.jobName() + " failed: " + e.getMessage());
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
