package dev.relup.operator.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.relup.api.v1alpha1.ConfigStatus;
import dev.relup.api.v1alpha1.ErlangReleaseSpec;
import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.api.v1alpha1.Method;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.MoveRecord;
import dev.relup.api.v1alpha1.MoveResult;
import dev.relup.api.v1alpha1.PodState;
import dev.relup.api.v1alpha1.Strategy;
import dev.relup.operator.decide.Action;
import dev.relup.operator.decide.Reasons;
import dev.relup.operator.observe.BuildObservation;
import dev.relup.operator.observe.CachedPackage;
import dev.relup.operator.observe.Observation;
import dev.relup.operator.observe.PodObservation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/**
 * Builds the next status from the previous one, what was observed, the action of this pass and the move/history
 * after it. Conditions keep their lastTransitionTime while their status does not change, so a status that did
 * not change compares equal and is not patched.
 */
public final class StatusAggregator {

    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";

    public static final String PHASE_STARTING = "Starting";
    public static final String PHASE_RUNNING = "Running";
    public static final String PHASE_BUILDING = "Building";
    public static final String PHASE_UPGRADING = "Upgrading";
    public static final String PHASE_RESTARTING = "Restarting";
    public static final String PHASE_DEGRADED = "Degraded";
    public static final String PHASE_ROLLING_BACK = "RollingBack";
    public static final String PHASE_PAUSED = "Paused";
    public static final String PHASE_CONFIGURING = "Configuring";

    /**
     * What one pass produced, besides the observation: {@code fetched} is the package copied out in this pass,
     * {@code config} the live config state after it.
     */
    public record PassResult(Action action, Move move, List<MoveRecord> history, Optional<CachedPackage> fetched,
            ConfigStatus config) {

        public PassResult(Action action, Move move, List<MoveRecord> history) {
            this(action, move, history, Optional.empty(), null);
        }
    }

    public ErlangReleaseStatus aggregate(long generation, ErlangReleaseSpec spec, ErlangReleaseStatus previous,
            Observation obs, PassResult pass, Instant now) {
        ErlangReleaseStatus prev = previous == null ? new ErlangReleaseStatus() : previous;
        ErlangReleaseStatus s = new ErlangReleaseStatus();
        int replicas = spec.getReplicas() == null ? 1 : spec.getReplicas();
        List<PodObservation> pods = obs.pods().stream().filter(p -> p.ordinal() < replicas).toList();
        Move move = pass.move();

        s.setObservedGeneration(generation);
        s.setDesiredVersion(spec.getVersion());
        s.setReplicas(replicas);
        s.setTargetVersion(move == null ? null : move.getTo());
        if (move != null) {
            move.setPodsDone(new ArrayList<>(pods.stream().filter(p -> p.settledOn(move.getTo())).map(PodObservation::name)
                    .toList()));
        }
        s.setMove(move);
        s.setPlan(PlanView.next(prev.getPlan(), move, pass.fetched().or(obs::cachedPackage)));
        s.setHistory(bounded(pass.history()));

        Set<String> running = pods.stream()
                .map(p -> p.reachable() ? p.node().runningVersion().orElse("?") : "?")
                .collect(Collectors.toSet());
        s.setCurrentVersion(pods.size() == replicas && running.size() == 1 && !running.contains("?")
                ? running.iterator().next() : null);

        int ready = (int) pods.stream().filter(p -> p.ready() && p.reachable()).count();
        s.setReadyReplicas(ready);
        s.setReadyPods(ready + "/" + replicas);
        s.setPods(pods.stream().map(StatusAggregator::podState).toList());
        s.setConfig(ConfigView.status(spec, pass.config() != null ? pass.config() : prev.getConfig(), pods));

        Map<String, String> images = new LinkedHashMap<>(prev.getImages() == null ? Map.of() : prev.getImages());
        if (move != null && move.getFrom() != null && move.getFromImage() != null) {
            images.putIfAbsent(move.getFrom(), move.getFromImage());
        }
        images.put(spec.getVersion(), spec.getImage());
        s.setImages(images);

        // a successful FinishMove leaves every pod where Idle would: say so now, not one pass later (no flicker
        // through Starting that Argo CD would show as Progressing)
        boolean idle = pass.action() instanceof Action.Idle
                || pass.action() instanceof Action.FinishMove f && f.result() == MoveResult.Succeeded
                && pods.size() == replicas && pods.stream().allMatch(p -> p.ready() && p.settledOn(spec.getVersion()));
        String lastStable = prev.getLastStableVersion();
        if (idle) {
            lastStable = spec.getVersion();
        } else if ((pass.action() instanceof Action.FinishMove f && f.result() == MoveResult.Succeeded
                || pass.action() instanceof Action.NextHop) && prev.getMove() != null) {
            lastStable = prev.getMove().getTo();
        }
        s.setLastStableVersion(lastStable);

        Action.Rejected rejected = pass.action() instanceof Action.Rejected r ? r : null;
        Action.Stuck stuck = pass.action() instanceof Action.Stuck st ? st : null;
        Optional<ConfigView.Say> configDown = ConfigView.degraded(pass.action());
        Optional<ConfigView.Say> configing = ConfigView.progressing(pass.action(), s.getConfig(), pods);
        boolean degraded = move != null && move.getFailure() != null || rejected != null || stuck != null
                || configDown.isPresent();
        String failureReason = rejected != null ? Reasons.API_REJECTED : stuck != null ? stuck.reason()
                : configDown.isPresent() ? configDown.get().reason() : move == null ? null : move.getFailureReason();
        String failure = rejected != null ? rejected.message() : stuck != null ? stuck.message()
                : configDown.isPresent() ? configDown.get().message() : move == null ? null : move.getFailure();
        boolean rollingBack = move != null && move.rollingBack() && move.getFailure() == null;
        String waitReason = rollingBack ? Reasons.ROLLING_BACK : pass.action() instanceof Action.Wait w ? w.reason()
                : configing.map(ConfigView.Say::reason).orElse(null);
        String waitMessage = pass.action() instanceof Action.Wait w ? w.message()
                : pass.action() instanceof Action.RetryLater r ? r.message()
                : configing.map(ConfigView.Say::message).orElse(null);
        List<Condition> prevConditions = prev.getConditions() == null ? List.of() : prev.getConditions();
        List<Condition> conditions = new ArrayList<>();

        // Ready
        if (idle) {
            conditions.add(condition(prevConditions, READY, true, Reasons.ALL_PODS_ON_VERSION,
                    ready + "/" + replicas + " pods run " + spec.getVersion(), generation, now));
        } else if (degraded) {
            conditions.add(condition(prevConditions, READY, false, failureReason, failure, generation, now));
        } else {
            conditions.add(condition(prevConditions, READY, false,
                    waitReason != null ? waitReason : (move != null ? Reasons.MOVING : Reasons.CREATING),
                    describe(move, pods, waitMessage, pass.action()), generation, now));
        }
        boolean building = move != null && building(obs, pass.action());
        // Progressing
        if (!idle && !degraded) {
            String reason = move == null ? (waitReason != null ? waitReason : Reasons.CREATING)
                    : rollingBack ? Reasons.ROLLING_BACK
                    : Reasons.AWAITING_APPROVAL.equals(waitReason) ? Reasons.AWAITING_APPROVAL
                    : move.getMethod() == Method.Restart ? Reasons.RESTARTING
                    : move.getMethod() == Method.Hot ? Reasons.UPGRADING
                    : building ? Reasons.BUILDING
                    : Reasons.MOVING;
            conditions.add(condition(prevConditions, PROGRESSING, true, reason,
                    describe(move, pods, waitMessage, pass.action()), generation, now));
        } else {
            conditions.add(condition(prevConditions, PROGRESSING, false, idle ? Reasons.ALL_PODS_ON_VERSION : failureReason,
                    idle ? "nothing to do" : "stopped: " + failure, generation, now));
        }
        // Degraded
        if (degraded) {
            conditions.add(condition(prevConditions, DEGRADED, true, failureReason, failure, generation, now));
        } else if (rollingBack) {
            conditions.add(condition(prevConditions, DEGRADED, true, Reasons.ROLLING_BACK, "rolling back to "
                    + move.getFrom() + ": " + move.getRollbackCause(), generation, now));
        } else {
            String lastError = move == null ? null : move.getLastError();
            conditions.add(condition(prevConditions, DEGRADED, false, lastError == null ? "AsExpected" : Reasons.RETRYING,
                    lastError == null ? "no failure" : "retrying after: " + lastError, generation, now));
        }
        s.setConditions(conditions);

        s.setPhase(degraded ? PHASE_DEGRADED
                : rollingBack ? PHASE_ROLLING_BACK
                : Reasons.AWAITING_APPROVAL.equals(waitReason) ? PHASE_PAUSED
                : idle ? PHASE_RUNNING
                : configing.isPresent() ? PHASE_CONFIGURING
                : move == null ? PHASE_STARTING
                : move.getMethod() == Method.Hot ? PHASE_UPGRADING
                : move.getMethod() == Method.Restart ? PHASE_RESTARTING
                : building ? PHASE_BUILDING
                : spec.getStrategy() == Strategy.Restart ? PHASE_RESTARTING
                : PHASE_UPGRADING);
        return s;
    }

    /**
     * Whether the relup package of the move is being built or fetched in this pass: a build Job is created, runs or
     * waits to be fetched, or the package is copied out of it. A move whose method is not chosen yet is not
     * building by itself (a downgrade to a release still on the nodes builds nothing).
     */
    private static boolean building(Observation obs, Action action) {
        if (action instanceof Action.StartBuild || action instanceof Action.FetchPackage
                || action instanceof Action.Wait w && Reasons.BUILDING.equals(w.reason())) {
            return true;
        }
        return obs.build().map(b -> b.phase() == BuildObservation.Phase.BUILDING
                || b.phase() == BuildObservation.Phase.FETCHABLE).orElse(false);
    }

    private static String describe(Move move, List<PodObservation> pods, String waitMessage, Action action) {
        StringBuilder sb = new StringBuilder();
        if (move != null) {
            long done = pods.stream().filter(p -> p.settledOn(move.getTo())).count();
            sb.append(move.rollingBack() ? "rolling back " : "moving ").append(move.getFrom()).append(" -> ")
                    .append(move.getTo());
            if (move.getMethod() != null) {
                sb.append(" (").append(move.getMethod()).append(')');
            }
            if (move.routed()) {
                // a hop is not the end: say where the route leads, so no one reads "done" at a hop
                sb.append(", hop ").append(move.getRoute().indexOf(move.getTo())).append(" of ")
                        .append(move.getRoute().size() - 1).append(" to ").append(move.target());
            }
            sb.append(": ").append(done).append('/').append(pods.size()).append(" pods done");
        }
        String detail = waitMessage != null ? waitMessage
                : action instanceof Action.ApplyWorkload a ? a.why() : null;
        if (detail != null) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(detail);
        }
        return sb.length() == 0 ? action.name() : sb.toString();
    }

    private static PodState podState(PodObservation p) {
        PodState ps = new PodState();
        ps.setName(p.name());
        ps.setUid(p.uid());
        ps.setRestartCount(p.restartCount());
        ps.setReady(p.ready());
        if (p.node() != null && p.node().reachable()) {
            p.node().running().ifPresent(r -> {
                ps.setVersion(r.getVersion());
                ps.setState(r.getState());
            });
            ps.setReleases(new ArrayList<>(p.node().releases()));
        } else {
            ps.setReleases(new ArrayList<>());
            ps.setMessage(Optional.ofNullable(p.node()).map(n -> n.error()).orElse("node not observed"));
        }
        return ps;
    }

    private static List<MoveRecord> bounded(List<MoveRecord> history) {
        List<MoveRecord> h = history == null ? new ArrayList<>() : new ArrayList<>(history);
        while (h.size() > ErlangReleaseStatus.HISTORY_LIMIT) {
            h.remove(0);
        }
        return h;
    }

    /** A condition that keeps the previous lastTransitionTime when its status did not change. */
    static Condition condition(List<Condition> previous, String type, boolean status, String reason, String message,
            long generation, Instant now) {
        String st = status ? "True" : "False";
        String since = previous.stream()
                .filter(c -> type.equals(c.getType()) && st.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime).filter(Objects::nonNull).findFirst()
                .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
        return new ConditionBuilder()
                .withType(type)
                .withStatus(st)
                .withReason(reason == null ? type : reason)
                .withMessage(message == null ? "" : message)
                .withLastTransitionTime(since)
                .withObservedGeneration(generation)
                .build();
    }
}
