package dev.relup.operator.decide;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.relup.api.v1alpha1.ErlangReleaseSpec;
import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.api.v1alpha1.Method;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.MoveResult;
import dev.relup.api.v1alpha1.Strategy;
import dev.relup.operator.packaging.BuildNames;
import dev.relup.operator.decide.Action.ApplyWorkload;
import dev.relup.operator.decide.Action.ChooseMethod;
import dev.relup.operator.decide.Action.DeletePods;
import dev.relup.operator.decide.Action.FailMove;
import dev.relup.operator.decide.Action.FetchPackage;
import dev.relup.operator.decide.Action.FinishMove;
import dev.relup.operator.decide.Action.HotMove;
import dev.relup.operator.decide.Action.Idle;
import dev.relup.operator.decide.Action.RetryLater;
import dev.relup.operator.decide.Action.StartBuild;
import dev.relup.operator.decide.Action.StartMove;
import dev.relup.operator.decide.Action.Wait;
import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.observe.BuildObservation;
import dev.relup.operator.observe.CachedPackage;
import dev.relup.operator.observe.Observation;
import dev.relup.operator.observe.PodObservation;

/**
 * Chooses the one next {@link Action} from the desired state, the status (the move in flight) and what was
 * observed. Pure: no I/O, no clock (the time comes in), so every branch is unit-tested.
 *
 * <p>The algorithm, in order:
 * <ol>
 *   <li>No StatefulSet, or its settings drifted from the spec: apply the workload (the template image stays where
 *       the rollout put it).</li>
 *   <li>No move in flight: when every pod runs the desired version permanently, make the template follow and be
 *       idle; when a reachable pod runs another version, start a move (written to status before anything acts);
 *       otherwise wait for the nodes.</li>
 *   <li>A move in flight for another version than the spec's: it is superseded. A failed move stays failed
 *       (Degraded, pods untouched) until the spec changes.</li>
 *   <li>All pods on the target: move the template to the target image, then finish.</li>
 *   <li>Method not chosen yet: Restart under strategy Restart; Hot without a build when every node still has the
 *       target installed (a downgrade); otherwise build the relup package in a Job and let its report decide
 *       (Auto falls back to Restart when the step is not hot; Hot fails).</li>
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
            Instant now) {}

    public Action decide(Input in) {
        Observation obs = in.observed();
        ErlangReleaseSpec spec = in.spec();
        if (!obs.statefulSetPresent()) {
            return new ApplyWorkload(spec.getImage(), "creating the StatefulSet on " + spec.getImage());
        }
        if (!Objects.equals(in.desiredWorkloadHash(), obs.workloadHash())) {
            return new ApplyWorkload(obs.templateImage(), "the spec's pod settings or replicas changed");
        }
        Move move = in.status() == null ? null : in.status().getMove();
        return move == null ? withoutMove(in) : withMove(in, move);
    }

    // ---- no move in flight -------------------------------------------------------------------------------------

    private Action withoutMove(Input in) {
        ErlangReleaseSpec spec = in.spec();
        String desired = spec.getVersion();
        List<PodObservation> pods = inScope(in);
        if (pods.size() < replicas(spec)) {
            return new Wait(Reasons.PODS_STARTING, pods.size() + " of " + replicas(spec) + " pods exist");
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
            return new Idle();
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
        boolean sameTarget = m.getTo().equals(spec.getVersion()) && Objects.equals(m.getToImage(), spec.getImage());
        if (m.getFailure() != null) {
            if (sameTarget && Objects.equals(m.getGeneration(), in.generation())) {
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
        List<String> pending = inScope(in).stream().filter(p -> !p.settledOn(m.getTo()) || !p.ready())
                .map(p -> p.name() + " (" + podSituation(p, m.getTo()) + ")").toList();
        return Optional.of(new FailMove(Reasons.MOVE_TIMED_OUT, "move " + m.getFrom() + " -> " + m.getTo()
                + " did not finish within " + human(deadlines.move()) + " (started " + m.getStartedAt() + "); awaited: "
                + awaited + (pending.isEmpty() ? "" : "; pods not done: " + String.join(", ", pending))
                + "; the pods are left as they are"));
    }

    private static String podSituation(PodObservation p, String to) {
        List<String> parts = new java.util.ArrayList<>();
        if (!p.reachable()) {
            parts.add("node not answering" + (p.node() != null && p.node().error() != null ? ": " + p.node().error() : ""));
        } else {
            parts.add("runs " + p.node().runningVersion().orElse("nothing") + (p.settledOn(to) ? "" : ", not " + to));
        }
        if (!p.ready()) {
            parts.add("not Ready");
        }
        return String.join(", ", parts);
    }

    private static String human(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    private Action proceed(Input in, Move m) {
        ErlangReleaseSpec spec = in.spec();
        Observation obs = in.observed();
        List<PodObservation> pods = inScope(in);
        String to = m.getTo();
        List<PodObservation> pending = pods.stream().filter(p -> !p.settledOn(to)).toList();
        if (pending.isEmpty() && pods.size() >= replicas(spec)) {
            if (!m.getToImage().equals(obs.templateImage())) {
                return new ApplyWorkload(m.getToImage(), "every pod runs " + to + "; the pod template follows");
            }
            long notReady = pods.stream().filter(p -> !p.ready()).count();
            if (notReady > 0) {
                return new Wait(Reasons.PODS_NOT_READY, notReady + " of " + pods.size() + " pods not ready");
            }
            return new FinishMove(MoveResult.Succeeded, "every pod runs " + to);
        }
        if (m.getMethod() == null) {
            return chooseMethod(in, m, pending);
        }
        return m.getMethod() == Method.Hot ? hot(in, m, pods, pending) : restart(in, m, pods, pending);
    }

    private Action chooseMethod(Input in, Move m, List<PodObservation> pending) {
        Strategy strategy = strategy(in.spec());
        if (strategy == Strategy.Restart) {
            return new ChooseMethod(Method.Restart, Reasons.RESTARTING, "strategy Restart", false);
        }
        List<PodObservation> reachable = pending.stream().filter(PodObservation::reachable).toList();
        if (!pending.isEmpty() && reachable.size() == pending.size()
                && reachable.stream().allMatch(p -> p.node().has(m.getTo()))) {
            return new ChooseMethod(Method.Hot, Reasons.UPGRADING,
                    m.getTo() + " is still installed on every node: release_handler moves them without a package", false);
        }
        return buildStep(in, m);
    }

    /** Get the package of the move: cached, fetchable, building, failed or to be (re)built. */
    private Action buildStep(Input in, Move m) {
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
                return new ChooseMethod(Method.Hot, Reasons.UPGRADING, "the build says " + m.getFrom() + " -> "
                        + m.getTo() + " is hot-upgradable", false);
            }
            String why = "the step " + m.getFrom() + " -> " + m.getTo() + " is not hot-upgradable: "
                    + String.join("; ", c.reasons());
            if (strategy(in.spec()) == Strategy.Auto) {
                return new ChooseMethod(Method.Restart, Reasons.RESTARTING, why + "; strategy Auto restarts the pods", true);
            }
            return new FailMove(Reasons.NOT_HOT_UPGRADABLE, why + "; strategy Hot leaves the pods on " + m.getFrom()
                    + " (use strategy Auto or Restart to allow restarting them)");
        }
        String job = BuildNames.jobName(in.name(), m, in.spec().getPurge());
        BuildObservation b = obs.build().filter(x -> x.jobName().equals(job)).orElse(BuildObservation.absent(job));
        return switch (b.phase()) {
            case ABSENT, DONE -> new StartBuild(job);
            case BUILDING -> new Wait(Reasons.BUILDING, "building the relup package " + m.getFrom() + " -> "
                    + m.getTo() + " in Job " + job);
            case FETCHABLE -> new FetchPackage(job, b.podName());
            case FAILED -> new FailMove(Reasons.BUILD_FAILED, "building the relup package " + m.getFrom() + " -> "
                    + m.getTo() + " failed (Job " + job + "): " + Objects.requireNonNullElse(b.message(), "no message")
                    + "; the pods keep running " + m.getFrom());
        };
    }

    private Action hot(Input in, Move m, List<PodObservation> pods, List<PodObservation> pending) {
        if (m.getLastErrorKind() != null) {
            NodeFailure.Kind kind = kind(m.getLastErrorKind());
            if (kind.meansNotHot()) {
                String why = "hot step failed: " + m.getLastError();
                if (strategy(in.spec()) == Strategy.Auto) {
                    return new ChooseMethod(Method.Restart, Reasons.RESTARTING, why + "; strategy Auto restarts the pods", true);
                }
                return new FailMove(Reasons.NOT_HOT_UPGRADABLE, why + "; strategy Hot stops here");
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
            return new Wait(Reasons.NODE_UNREACHABLE, "waiting for the node of pod " + p.name() + " to answer"
                    + (p.node() != null && p.node().error() != null ? ": " + p.node().error() : ""));
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
        int batch = canary ? 1 : Math.max(1, batchSize(in.spec()));
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
                return buildStep(in, m);
            }
        }
        List<String> next = chosen.stream().map(PodObservation::name).toList();
        return new HotMove(next, canary);
    }

    private Action restart(Input in, Move m, List<PodObservation> pods, List<PodObservation> pending) {
        Observation obs = in.observed();
        if (!m.getToImage().equals(obs.templateImage())) {
            return new ApplyWorkload(m.getToImage(), "restart: the pod template moves to " + m.getToImage() + " first");
        }
        if (pods.size() < replicas(in.spec()) || pods.stream().anyMatch(PodObservation::terminating)) {
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
        if (starting.isPresent() && Duration.between(starting.get().created(), in.now()).compareTo(deadlines.podReady()) > 0) {
            PodObservation p = starting.get();
            return new FailMove(Reasons.MOVE_TIMED_OUT, "pod " + p.name() + " was recreated on " + m.getToImage() + " at "
                    + p.created() + " and is not Ready on " + m.getTo() + " within " + human(deadlines.podReady())
                    + " (" + podSituation(p, m.getTo()) + "); awaited: Ready with its node answering on " + m.getTo()
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
        int batch = canary ? 1 : Math.max(1, batchSize(in.spec()));
        return new DeletePods(candidates.stream().limit(batch).map(PodObservation::name).toList(), canary);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static List<PodObservation> inScope(Input in) {
        int replicas = replicas(in.spec());
        return in.observed().pods().stream().filter(p -> p.ordinal() < replicas).toList();
    }

    private static int replicas(ErlangReleaseSpec spec) {
        return spec.getReplicas() == null ? 1 : spec.getReplicas();
    }

    private static int batchSize(ErlangReleaseSpec spec) {
        return spec.getBatchSize() == null ? 1 : spec.getBatchSize();
    }

    private static Strategy strategy(ErlangReleaseSpec spec) {
        return spec.getStrategy() == null ? Strategy.Auto : spec.getStrategy();
    }

    private static NodeFailure.Kind kind(String s) {
        try {
            return NodeFailure.Kind.valueOf(s);
        } catch (IllegalArgumentException e) {
            return NodeFailure.Kind.OTHER;
        }
    }
}
