package dev.relup.operator.decide;

import java.util.Objects;
import java.util.Optional;

import dev.relup.api.v1alpha1.Method;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.Strategy;
import dev.relup.engine.build.Rehearsal;
import dev.relup.operator.decide.Action.ChooseMethod;
import dev.relup.operator.decide.Action.FailMove;
import dev.relup.operator.decide.Action.FetchPackage;
import dev.relup.operator.decide.Action.StartBuild;
import dev.relup.operator.decide.Action.Wait;
import dev.relup.operator.observe.BuildObservation;
import dev.relup.operator.observe.CachedPackage;
import dev.relup.operator.observe.Observation;
import dev.relup.operator.packaging.BuildNames;
import dev.relup.operator.packaging.RehearsalOptions;

/**
 * The relup package of a move: cached, fetchable, building, failed or to be (re)built; its report picks the method,
 * and a failed rehearsal of a hot package ends the move.
 */
final class PackageStep {

    private PackageStep() {
    }

    /** Get the package of the move: cached, fetchable, building, failed or to be (re)built. */
    static Action next(Decider.Input in, Move m) {
        Observation obs = in.observed();
        Optional<CachedPackage> cached = obs.cachedPackage()
                .filter(c -> m.getPackageSha256() == null || m.getPackageSha256().equals(c.sha256()));
        if (cached.isPresent()) {
            CachedPackage c = cached.get();
            if (!c.to().equals(m.getTo())) {
                return new FailMove(Reasons.IMAGE_VERSION_MISMATCH, "image " + m.getToImage() + " holds release "
                        + c.release() + " " + c.to() + ", not " + m.getTo() + ": point spec.image at an image of " + m.getTo());
            }
            if (m.getMethod() != null) {
                // method known, package is there: the caller should not have asked
                return new Wait(Reasons.MOVING, "package ready");
            }
            if (c.hot()) {
                Optional<Rehearsal> rehearsal = c.rehearsed().filter(r -> RehearsalOptions.of(in.spec()).isPresent());
                if (rehearsal.isPresent() && !rehearsal.get().passed()) {
                    return rehearsalFailed(m, rehearsal.get());
                }
                return new ChooseMethod(Method.Hot, Reasons.UPGRADING, "the build says " + m.getFrom() + " -> "
                        + m.getTo() + " is hot-upgradable" + (rehearsal.isPresent() ? " and its rehearsal passed" : ""), false);
            }
            // the target's appup does not upgrade from here: a route through a version it does may be hot
            Optional<Action> around = Route.around(in, m, c);
            if (around.isPresent()) {
                return around.get();
            }
            String why = "the step " + m.getFrom() + " -> " + m.getTo() + " is not hot-upgradable: "
                    + String.join("; ", c.reasons());
            if (SpecDefaults.strategy(in.spec()) == Strategy.Auto) {
                return new ChooseMethod(Method.Restart, Reasons.RESTARTING, why + "; strategy Auto restarts the pods", true);
            }
            return new FailMove(Reasons.NOT_HOT_UPGRADABLE, why + "; strategy Hot leaves the pods on " + m.getFrom()
                    + " (use strategy Auto or Restart to allow restarting them)");
        }
        String job = BuildNames.jobName(in.name(), m, in.spec());
        BuildObservation b = obs.build().filter(x -> x.jobName().equals(job)).orElse(BuildObservation.absent(job));
        return switch (b.phase()) {
            case ABSENT, DONE -> new StartBuild(job);
            case BUILDING -> new Wait(Reasons.BUILDING, "building the relup package " + m.getFrom() + " -> "
                    + m.getTo() + " in Job " + job);
            case FETCHABLE -> new FetchPackage(job, b.podName(), b.podIp(), b.servingSince());
            case FAILED -> new FailMove(Reasons.BUILD_FAILED, "building the relup package " + m.getFrom() + " -> "
                    + m.getTo() + " failed (Job " + job + "): " + Objects.requireNonNullElse(b.message(), "no message")
                    + "; the pods keep running " + m.getFrom());
        };
    }

    /**
     * A failed rehearsal ends the move before any pod is touched, under Auto too: a crashing code_change is a bug of
     * the release, not a reason to restart every pod onto it (issue 8).
     */
    private static FailMove rehearsalFailed(Move m, Rehearsal r) {
        return new FailMove(Reasons.REHEARSAL_FAILED, "rehearsal of " + m.getFrom() + " -> " + m.getTo() + " failed at "
                + Objects.requireNonNullElse(r.failedStep(), "an unnamed step") + ": "
                + Objects.requireNonNullElse(r.crash(), "no detail") + "; no pod was touched, they keep running "
                + m.getFrom() + " (spec.rehearse: false skips the rehearsal)");
    }
}
