package dev.relup.operator.decide;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.relup.api.v1alpha1.Method;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.MoveResult;
import dev.relup.api.v1alpha1.Strategy;
import dev.relup.operator.decide.Action.ChooseMethod;
import dev.relup.operator.decide.Action.FailMove;
import dev.relup.operator.decide.Action.FinishMove;
import dev.relup.operator.decide.Action.HotMove;
import dev.relup.operator.decide.Action.RetryLater;
import dev.relup.operator.decide.Action.Soak;
import dev.relup.operator.decide.Action.Verify;
import dev.relup.operator.decide.Action.Wait;
import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.observe.CachedPackage;
import dev.relup.operator.observe.PodObservation;

/**
 * The next step of a hot move: a failed step falls back (Auto, before any pod moved), rolls the moved pods back
 * ({@code rollback: Auto}) or fails (a soft purge refusal fails whatever the strategy: a restart would kill what soft
 * purge spared), waits out its backoff, or is tried again; a pod that finished is checked (health check) and the
 * canary soaks; otherwise the canary, then {@code batchSize} pods at a time, each only when its node answers.
 */
final class HotSteps {

    private HotSteps() {
    }

    static Action next(Decider.Input in, Move m, List<PodObservation> pods, List<PodObservation> pending) {
        if (m.rollingBack()) {
            return RollbackSteps.next(in, m, pods);
        }
        if (m.getLastErrorKind() != null) {
            NodeFailure.Kind kind = NodeFailure.Kind.parse(m.getLastErrorKind());
            if (kind.meansNotHot() && SpecDefaults.strategy(in.spec()) == Strategy.Auto
                    && pods.stream().noneMatch(p -> RollbackSteps.moved(p, m))) {
                return new ChooseMethod(Method.Restart, Reasons.RESTARTING, "hot step failed: " + m.getLastError()
                        + "; strategy Auto restarts the pods", true);
            }
            if (kind.meansNotHot() && pods.stream().noneMatch(p -> RollbackSteps.moved(p, m))) {
                return new FailMove(Reasons.NOT_HOT_UPGRADABLE, "hot step failed: " + m.getLastError()
                        + "; strategy Hot stops here");
            }
            if (!kind.isTransient()) {
                // a soft purge refusal is not "not hot": restarting would kill the very processes soft purge spared
                String reason = kind == NodeFailure.Kind.OLD_PROCESSES ? Reasons.OLD_PROCESSES
                        : kind == NodeFailure.Kind.HEALTH_CHECK_FAILED ? Reasons.MOVE_FAILED : Reasons.UPGRADE_FAILED;
                return RollbackSteps.failed(in, m, pods, reason, m.getLastError());
            }
        }
        if (m.getLastError() != null && m.getRetryAt() != null && in.now().isBefore(Instant.parse(m.getRetryAt()))) {
            int attempts = m.getFailedAttempts() == null ? 1 : m.getFailedAttempts();
            return new RetryLater("retrying at " + m.getRetryAt() + " (attempt " + (attempts + 1) + ") after: "
                    + m.getLastError(), Instant.parse(m.getRetryAt()));
        }
        if (SpecDefaults.paused(in.spec())) {
            return Paused.hot(m);
        }
        // a pod that finished its move is checked before any other moves; the canary then soaks
        Optional<Action> verify = verify(in, m, pods);
        if (verify.isPresent()) {
            return verify.get();
        }
        Optional<Action> soaking = soak(in, m);
        if (soaking.isPresent()) {
            return soaking.get();
        }
        List<PodObservation> unreachable = pending.stream().filter(p -> !p.reachable()).toList();
        if (!unreachable.isEmpty()) {
            PodObservation p = unreachable.get(0);
            return new Wait(Reasons.NODE_UNREACHABLE, "move " + m.getFrom() + " -> " + m.getTo()
                    + " waits for the node of pod " + p.name() + " to answer" + Describe.whyNotAnswering(p), p.name());
        }
        // pods on another version than the move's "from" that lack the target: a later move takes them
        List<PodObservation> movable = pending.stream()
                .filter(p -> p.node().has(m.getTo()) || m.getFrom().equals(p.node().runningVersion().orElse(null)))
                .toList();
        if (movable.isEmpty()) {
            return new FinishMove(MoveResult.Succeeded, "every pod that ran " + m.getFrom() + " runs " + m.getTo()
                    + "; pods on other versions follow in the next move");
        }
        boolean canary = m.getPodsDone().isEmpty() && pods.stream().noneMatch(p -> p.settledOn(m.getTo()));
        int batch = canary ? 1 : Math.max(1, SpecDefaults.batchSize(in.spec()));
        // pods already on their way (the node has the target) first, then highest ordinal first: the same batch is
        // chosen pass after pass, also by an operator that restarted mid-move
        List<PodObservation> chosen = movable.stream()
                .sorted(Comparator.comparing((PodObservation p) -> !p.node().has(m.getTo()))
                        .thenComparing(Comparator.comparingInt(PodObservation::ordinal).reversed()))
                .limit(batch).toList();
        if (chosen.stream().anyMatch(p -> !p.node().has(m.getTo()))) {
            Optional<CachedPackage> cached = in.observed().cachedPackage()
                    .filter(c -> m.getPackageSha256() == null || m.getPackageSha256().equals(c.sha256()));
            if (cached.isEmpty()) {
                return PackageStep.next(in, m);
            }
        }
        List<String> next = chosen.stream().map(PodObservation::name).toList();
        return new HotMove(next, m.getTo(), canary);
    }

    /**
     * Whether the move still has something to do on pods that all reached the target: a failure to act on, a
     * rollback under way, or a pod not checked yet.
     */
    static boolean unfinished(Decider.Input in, Move m, List<PodObservation> pods) {
        return m.rollingBack() || m.getLastErrorKind() != null || verify(in, m, pods).isPresent();
    }

    private static Optional<Action> verify(Decider.Input in, Move m, List<PodObservation> pods) {
        boolean verifying = in.spec().getHealthCheck() != null || SpecDefaults.soakSeconds(in.spec()) > 0;
        List<String> unverified = pods.stream().filter(p -> verifying && p.settledOn(m.getTo()))
                .map(PodObservation::name).filter(n -> !m.getHealthy().contains(n)).sorted().toList();
        return unverified.isEmpty() ? Optional.empty() : Optional.of(new Verify(unverified, m.getHealthy().isEmpty()));
    }

    /** While the canary's soak runs (it began when the canary passed its check), it is checked again; the others wait. */
    private static Optional<Action> soak(Decider.Input in, Move m) {
        int seconds = SpecDefaults.soakSeconds(in.spec());
        if (seconds <= 0 || m.getCanarySettledAt() == null || m.getHealthy().size() != 1) {
            return Optional.empty();
        }
        Instant until = Instant.parse(m.getCanarySettledAt()).plusSeconds(seconds);
        return in.now().isBefore(until) ? Optional.of(new Soak(m.getHealthy().get(0), until)) : Optional.empty();
    }
}
