package dev.relup.operator.decide;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.relup.api.v1alpha1.Move;
import dev.relup.operator.decide.Action.ApplyWorkload;
import dev.relup.operator.decide.Action.DeletePods;
import dev.relup.operator.decide.Action.FailMove;
import dev.relup.operator.decide.Action.Wait;
import dev.relup.operator.observe.Observation;
import dev.relup.operator.observe.PodObservation;

/**
 * The next step of a restart move: the template first, then one pod (then {@code batchSize}) deleted at a time,
 * waiting for each to come back Ready on the target within the pod-ready deadline.
 */
final class RestartSteps {

    private RestartSteps() {
    }

    static Action next(Decider.Input in, Move m, List<PodObservation> pods, List<PodObservation> pending,
            Duration podReady) {
        Observation obs = in.observed();
        if (SpecDefaults.paused(in.spec()) && pods.stream().noneMatch(PodObservation::terminating)) {
            return Paused.restart(m);
        }
        if (!m.getToImage().equals(obs.templateImage())) {
            return new ApplyWorkload(m.getToImage(), "restart: the pod template moves to " + m.getToImage() + " first");
        }
        if (pods.size() < SpecDefaults.replicas(in.spec()) || pods.stream().anyMatch(PodObservation::terminating)) {
            return new Wait(Reasons.RESTARTING, "waiting for the StatefulSet to recreate the deleted pod");
        }
        Instant started = m.getStartedAt() == null ? Instant.EPOCH : Instant.parse(m.getStartedAt());
        java.util.function.Predicate<PodObservation> recreated = p -> m.getToImage().equals(p.image())
                && p.created() != null && p.created().isAfter(started);
        for (PodObservation p : pending) {
            Optional<String> running = p.reachable() ? p.node().runningVersion() : Optional.empty();
            if (recreated.test(p) && running.isPresent() && !running.get().equals(m.getTo())) {
                return new FailMove(Reasons.IMAGE_VERSION_MISMATCH, "pod " + p.name() + " was recreated on image "
                        + m.getToImage() + " but runs release " + running.get() + ", not " + m.getTo()
                        + ": point spec.image at an image of " + m.getTo());
            }
        }
        Optional<PodObservation> starting = pods.stream()
                .filter(p -> recreated.test(p) && (!p.ready() || !p.reachable())).findFirst();
        if (starting.isPresent() && Duration.between(starting.get().created(), in.now()).compareTo(podReady) > 0) {
            PodObservation p = starting.get();
            return new FailMove(Reasons.MOVE_TIMED_OUT, "pod " + p.name() + " was recreated on " + m.getToImage() + " at "
                    + p.created() + " and is not Ready on " + m.getTo() + " within " + Describe.human(podReady)
                    + " (" + Describe.podSituation(p, m.getTo()) + "); awaited: Ready with its node answering on " + m.getTo()
                    + "; the other pods are left on " + m.getFrom());
        }
        if (starting.isPresent()) {
            return new Wait(Reasons.RESTARTING, "waiting for pod " + starting.get().name() + " to be ready on " + m.getTo());
        }
        List<PodObservation> candidates = pending.stream().filter(recreated.negate())
                .sorted(Comparator.comparing((PodObservation p) -> p.ready())
                        .thenComparing(Comparator.comparingInt(PodObservation::ordinal).reversed()))
                .toList();
        if (candidates.isEmpty()) {
            return new Wait(Reasons.RESTARTING, "waiting for the restarted nodes to run " + m.getTo());
        }
        boolean canary = pods.stream().noneMatch(p -> p.settledOn(m.getTo()));
        int batch = canary ? 1 : Math.max(1, SpecDefaults.batchSize(in.spec()));
        return new DeletePods(candidates.stream().limit(batch).map(PodObservation::name).toList(), canary);
    }
}
