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
import dev.relup.operator.decide.Action.Wait;
import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.observe.CachedPackage;
import dev.relup.operator.observe.PodObservation;

/**
 * The next step of a hot move: a failed step falls back (Auto) or fails (Hot), fails the move when soft purge
 * refused it (whatever the strategy: a restart would kill what soft purge spared), waits out its backoff, or is tried
 * again; otherwise the canary, then {@code batchSize} pods at a time, each only when its node answers.
 */
final class HotSteps {

    private HotSteps() {
    }

    static Action next(Decider.Input in, Move m, List<PodObservation> pods, List<PodObservation> pending) {
        if (m.getLastErrorKind() != null) {
            NodeFailure.Kind kind = NodeFailure.Kind.parse(m.getLastErrorKind());
            if (kind.meansNotHot()) {
                String why = "hot step failed: " + m.getLastError();
                if (SpecDefaults.strategy(in.spec()) == Strategy.Auto) {
                    return new ChooseMethod(Method.Restart, Reasons.RESTARTING, why + "; strategy Auto restarts the pods", true);
                }
                return new FailMove(Reasons.NOT_HOT_UPGRADABLE, why + "; strategy Hot stops here");
            }
            if (kind == NodeFailure.Kind.OLD_PROCESSES) {
                // not "not hot": restarting would kill the very processes soft purge spared
                return new FailMove(Reasons.OLD_PROCESSES, m.getLastError());
            }
            if (!kind.isTransient()) {
                return new FailMove(Reasons.UPGRADE_FAILED, m.getLastError());
            }
        }
        if (m.getLastError() != null && m.getRetryAt() != null && in.now().isBefore(Instant.parse(m.getRetryAt()))) {
            int attempts = m.getFailedAttempts() == null ? 1 : m.getFailedAttempts();
            return new RetryLater("retrying at " + m.getRetryAt() + " (attempt " + (attempts + 1) + ") after: "
                    + m.getLastError(), Instant.parse(m.getRetryAt()));
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
        return new HotMove(next, canary);
    }
}
