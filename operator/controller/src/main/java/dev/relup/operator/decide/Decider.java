package dev.relup.operator.decide;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import dev.relup.api.v1alpha1.ErlangReleaseSpec;
import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.api.v1alpha1.Method;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.MoveResult;
import dev.relup.api.v1alpha1.Strategy;
import dev.relup.operator.decide.Action.ApplyWorkload;
import dev.relup.operator.decide.Action.ChooseMethod;
import dev.relup.operator.decide.Action.FailMove;
import dev.relup.operator.decide.Action.FinishMove;
import dev.relup.operator.decide.Action.HotMove;
import dev.relup.operator.decide.Action.RetryLater;
import dev.relup.operator.decide.Action.StartMove;
import dev.relup.operator.decide.Action.Wait;
import dev.relup.operator.observe.Observation;
import dev.relup.operator.observe.PodObservation;

/**
 * Chooses the one next {@link Action} from the desired state, the status (the move in flight) and what was
 * observed. Pure: no I/O, no clock (the time comes in), so every branch is unit-tested.
 *
 * <p>The algorithm, in order:
 * <ol>
 *   <li>A pod whose readiness gate disagrees with its node (serving: answers, boot finished): set the gate.</li>
 *   <li>No StatefulSet, or its settings drifted from the spec: apply the workload (the template image stays where
 *       the rollout put it).</li>
 *   <li>No move in flight: when every pod runs the desired version permanently, make the template follow, then
 *       bring every pod to the live configuration spec.config means ({@link ConfigSteps}), then be idle; when a reachable pod runs another version, start a move (written to status before anything acts);
 *       otherwise wait for the nodes.</li>
 *   <li>A move in flight for another version than the spec's: it is superseded. A failed move stays failed
 *       (Degraded, pods untouched) until the spec changes.</li>
 *   <li>All pods on the target: move the template to the target image, then finish; a hop of a route goes on with the
 *       route's next hop instead.</li>
 *   <li>Method not chosen yet: Restart under strategy Restart; Hot without a build when every node still has the
 *       target installed (a downgrade); otherwise build the relup package in a Job and let its report decide
 *       (Auto falls back to Restart when the step is not hot; Hot fails). A step that is not hot because the target's
 *       shipped appup does not upgrade from the running version goes through a version it does upgrade from, when
 *       that version's image is known ({@link Route}): the move becomes the route's first hop.</li>
 *   <li>Hot: a pod step that failed as "not hot" falls back (Auto) or fails (Hot); otherwise step the canary, then
 *       {@code batchSize} pods at a time (those already on their way first, then highest ordinal first), one
 *       engine step per pod per pass, each only when its node answers.</li>
 *   <li>Restart: template first, then delete one pod (then {@code batchSize}), waiting for each to come back ready
 *       on the target.</li>
 * </ol>
 */
public final class Decider {

    /** Default {@link Deadlines}: longer than the build Job's own deadline (15 min), so a failing build reports itself. */
    public static final Deadlines DEFAULT_DEADLINES = new Deadlines(Duration.ofMinutes(20), Duration.ofMinutes(5));

    /**
     * How long a move may wait.
     *
     * @param move from {@code status.move.startedAt}: past it, a move that still waits for something outside (a
     *             pod, a node, a build) or keeps retrying a failed step fails with {@link Reasons#MOVE_TIMED_OUT};
     *             a move that still makes progress in the pass is let go on
     * @param podReady how long a pod recreated by the move (restart) may take to be Ready with its node answering
     *                 on the target
     */
    public record Deadlines(Duration move, Duration podReady) {}

    private final Deadlines deadlines;

    public Decider() {
        this(DEFAULT_DEADLINES);
    }

    public Decider(Deadlines deadlines) {
        this.deadlines = deadlines;
    }

    /** Everything a decision depends on. */
    public record Input(
            String name,
            long generation,
            ErlangReleaseSpec spec,
            ErlangReleaseStatus status,
            Observation observed,
            String desiredWorkloadHash,
            Instant now,
            String retryToken) {

        public Input(String name, long generation, ErlangReleaseSpec spec, ErlangReleaseStatus status,
                Observation observed, String desiredWorkloadHash, Instant now) {
            this(name, generation, spec, status, observed, desiredWorkloadHash, now, null);
        }

        /** The pods the spec counts (ordinal below replicas): a pod being scaled away is not moved. */
        public List<PodObservation> inScope() {
            int replicas = SpecDefaults.replicas(spec);
            return observed.pods().stream().filter(p -> p.ordinal() < replicas).toList();
        }
    }

    public Action decide(Input in) {
        Observation obs = in.observed();
        ErlangReleaseSpec spec = in.spec();
        if (!obs.statefulSetPresent()) {
            return new ApplyWorkload(spec.getImage(), "creating the StatefulSet on " + spec.getImage());
        }
        if (!Objects.equals(in.desiredWorkloadHash(), obs.workloadHash())) {
            return new ApplyWorkload(obs.templateImage(), "the spec's pod settings or replicas changed");
        }
        Map<String, Boolean> gates = new TreeMap<>();
        for (PodObservation p : in.inScope()) {
            boolean serving = p.node() != null && p.node().serving();
            if (p.gate() != null && p.gate().outOf(serving) && !p.terminating()) {
                gates.put(p.name(), serving);
            }
        }
        if (!gates.isEmpty()) {
            return new Action.SetNodeReady(gates);
        }
        Move move = in.status() == null ? null : in.status().getMove();
        return move == null ? withoutMove(in) : withMove(in, move);
    }

    // ---- no move in flight -------------------------------------------------------------------------------------

    private Action withoutMove(Input in) {
        ErlangReleaseSpec spec = in.spec();
        String desired = spec.getVersion();
        List<PodObservation> pods = in.inScope();
        Optional<Action> stuck = Startup.check(pods, in.now(), deadlines.podReady());
        if (stuck.isPresent()) {
            return stuck.get();
        }
        if (pods.size() < SpecDefaults.replicas(spec)) {
            return new Wait(Reasons.PODS_STARTING, pods.size() + " of " + SpecDefaults.replicas(spec) + " pods exist");
        }
        List<PodObservation> pending = pods.stream().filter(p -> !p.settledOn(desired)).toList();
        if (pending.isEmpty()) {
            if (!spec.getImage().equals(in.observed().templateImage())) {
                return new ApplyWorkload(spec.getImage(), "every pod runs " + desired + "; the pod template follows");
            }
            long notReady = pods.stream().filter(p -> !p.ready()).count();
            if (notReady > 0) {
                return new Wait(Reasons.PODS_NOT_READY, notReady + " of " + pods.size() + " pods not ready");
            }
            return ConfigSteps.next(in, pods);
        }
        Optional<PodObservation> first = pending.stream().filter(PodObservation::reachable)
                .filter(p -> p.node().runningVersion().isPresent())
                .max(Comparator.comparingInt(PodObservation::ordinal));
        if (first.isEmpty()) {
            PodObservation p = pending.get(0);
            return new Wait(Reasons.NODES_STARTING, "waiting for the node of pod " + p.name() + " to answer"
                    + (p.node() != null && p.node().error() != null ? " (" + p.node().error() + ")" : ""));
        }
        PodObservation pod = first.get();
        String from = pod.node().runningVersion().orElseThrow();
        Move m = new Move();
        m.setFrom(from);
        m.setTo(desired);
        String knownFromImage = in.status() == null ? null : in.status().getImages().get(from);
        m.setFromImage(knownFromImage != null ? knownFromImage : pod.image());
        m.setToImage(spec.getImage());
        m.setGeneration(in.generation());
        m.setStartedAt(in.now().toString());
        return new StartMove(m);
    }

    // ---- a move in flight -------------------------------------------------------------------------------------

    private Action withMove(Input in, Move m) {
        ErlangReleaseSpec spec = in.spec();
        Observation obs = in.observed();
        // a hop of a route aims at the route's end: the spec asks for that one
        boolean sameTarget = m.target().equals(spec.getVersion()) && Objects.equals(m.imageOfTarget(), spec.getImage());
        if (m.getFailure() != null) {
            if (sameTarget && Objects.equals(m.getGeneration(), in.generation())
                    && Objects.equals(m.getRetryToken(), in.retryToken())) {
                // a failed Restart move leaves no pod template on the image that failed
                if (m.getMethod() == Method.Restart && m.getFromImage() != null
                        && !m.getFromImage().equals(obs.templateImage())) {
                    return new ApplyWorkload(m.getFromImage(), "the failed move's image goes back to the last stable one, "
                            + m.getFromImage() + " (" + m.getFrom() + ")");
                }
                return new Wait(Reasons.DEGRADED, m.getFailure());
            }
            return new FinishMove(MoveResult.Failed, m.getFailure());
        }
        if (!sameTarget) {
            return new FinishMove(MoveResult.Superseded,
                    "the spec asks for " + spec.getVersion() + " (" + spec.getImage() + ") now");
        }
        Action next = proceed(in, m);
        return overDeadline(in, m, next).orElse(next);
    }

    /**
     * A move past {@link Deadlines#move} that would wait again, or retry a failed step again, fails instead; the
     * message says what it waited for and which pods are not on the target yet, and how.
     */
    private Optional<Action> overDeadline(Input in, Move m, Action next) {
        if (m.getStartedAt() == null || !(next instanceof Wait || next instanceof RetryLater
                || next instanceof HotMove && m.getLastError() != null)) {
            return Optional.empty();
        }
        Instant started = Instant.parse(m.getStartedAt());
        Duration took = Duration.between(started, in.now());
        if (took.compareTo(deadlines.move()) <= 0) {
            return Optional.empty();
        }
        String awaited = next instanceof Wait w ? w.message()
                : "retrying after: " + m.getLastError()
                + (m.getFailedAttempts() == null ? "" : " (" + m.getFailedAttempts() + " failed attempts)");
        List<String> pending = in.inScope().stream().filter(p -> !p.settledOn(m.getTo()) || !p.ready())
                .map(p -> p.name() + " (" + Describe.podSituation(p, m.getTo()) + ")").toList();
        return Optional.of(new FailMove(Reasons.MOVE_TIMED_OUT, "move " + m.getFrom() + " -> " + m.getTo()
                + " did not finish within " + Describe.human(deadlines.move()) + " (started " + m.getStartedAt() + "); awaited: "
                + awaited + (pending.isEmpty() ? "" : "; pods not done: " + String.join(", ", pending))
                + "; the pods are left as they are"));
    }

    private Action proceed(Input in, Move m) {
        ErlangReleaseSpec spec = in.spec();
        Observation obs = in.observed();
        List<PodObservation> pods = in.inScope();
        String to = m.getTo();
        List<PodObservation> pending = pods.stream().filter(p -> !p.settledOn(to)).toList();
        if (pending.isEmpty() && pods.size() >= SpecDefaults.replicas(spec)
                && !(m.getMethod() == Method.Hot && HotSteps.unfinished(in, m, pods))) {
            if (!m.getToImage().equals(obs.templateImage())) {
                return new ApplyWorkload(m.getToImage(), "every pod runs " + to + "; the pod template follows");
            }
            long notReady = pods.stream().filter(p -> !p.ready()).count();
            if (notReady > 0) {
                return new Wait(Reasons.PODS_NOT_READY, notReady + " of " + pods.size() + " pods not ready");
            }
            if (m.routed() && !to.equals(m.target())) {
                return Route.nextHop(in, m);
            }
            return new FinishMove(MoveResult.Succeeded, "every pod runs " + to);
        }
        if (m.getMethod() == null) {
            return chooseMethod(in, m, pending);
        }
        return m.getMethod() == Method.Hot ? HotSteps.next(in, m, pods, pending)
                : RestartSteps.next(in, m, pods, pending, deadlines.podReady());
    }

    private Action chooseMethod(Input in, Move m, List<PodObservation> pending) {
        Strategy strategy = SpecDefaults.strategy(in.spec());
        if (strategy == Strategy.Restart) {
            return new ChooseMethod(Method.Restart, Reasons.RESTARTING, "strategy Restart", false);
        }
        List<PodObservation> reachable = pending.stream().filter(PodObservation::reachable).toList();
        if (!pending.isEmpty() && reachable.size() == pending.size()
                && reachable.stream().allMatch(p -> p.node().has(m.getTo()))) {
            return new ChooseMethod(Method.Hot, Reasons.UPGRADING,
                    m.getTo() + " is still installed on every node: release_handler moves them without a package", false);
        }
        return PackageStep.next(in, m);
    }

}
