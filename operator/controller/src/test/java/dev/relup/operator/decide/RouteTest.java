package dev.relup.operator.decide;

import static dev.relup.operator.decide.Fixtures.IMG1;
import static dev.relup.operator.decide.Fixtures.IMG2;
import static dev.relup.operator.decide.Fixtures.input;
import static dev.relup.operator.decide.Fixtures.move;
import static dev.relup.operator.decide.Fixtures.node;
import static dev.relup.operator.decide.Fixtures.pod;
import static dev.relup.operator.decide.Fixtures.spec;
import static dev.relup.operator.decide.Fixtures.status;
import static dev.relup.operator.decide.Fixtures.withPackage;
import static dev.relup.operator.decide.Fixtures.world;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.relup.api.v1alpha1.ErlangReleaseSpec;
import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.api.v1alpha1.Method;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.MoveRecord;
import dev.relup.api.v1alpha1.MoveResult;
import dev.relup.api.v1alpha1.Strategy;
import dev.relup.api.v1alpha1.UpgradeStop;
import dev.relup.operator.decide.Action.ChooseMethod;
import dev.relup.operator.decide.Action.FailMove;
import dev.relup.operator.decide.Action.FinishMove;
import dev.relup.operator.decide.Action.NextHop;
import dev.relup.operator.decide.Action.Reroute;
import dev.relup.operator.observe.CachedPackage;
import dev.relup.operator.observe.NodeObservation;
import dev.relup.operator.observe.Observation;

/**
 * Multi-step moves: where the hop comes from (spec.upgradePath first, then versions this release ran), what happens
 * without one (Hot: NoHotPath naming the missing hop; Auto: restart), regex appup entries, and the loop and depth
 * guards; then a routed move's hop ending in the next hop rather than in "done".
 */
class RouteTest {

    static final String IMG3 = "ticker:0.3.0";
    static final NodeObservation ON_1 = node("0.1.0:permanent");
    static final NodeObservation ON_2 = node("0.1.0:old", "0.2.0:permanent");

    private final Decider decider = new Decider();

    /** What the builder reports for 0.1.0 -> 0.3.0: 0.3.0's shipped appup only knows 0.2.0. */
    static CachedPackage notCovered(String from, String to, Map<String, List<String>> appupFrom) {
        return new CachedPackage(Path.of("/cache/p.tar.gz"), "abc123", "ticker", from, to, false,
                List.of(to + "'s shipped appup for ticker has no up entry for " + from), 1L, null, null, appupFrom);
    }

    private Action decideDirect(ErlangReleaseSpec spec, ErlangReleaseStatus status, Map<String, List<String>> appupFrom) {
        Observation obs = withPackage(world(IMG1, pod(0, IMG1, ON_1)), notCovered("0.1.0", "0.3.0", appupFrom));
        return decider.decide(input(spec, status, obs));
    }

    private static ErlangReleaseSpec to030(Strategy strategy, UpgradeStop... path) {
        ErlangReleaseSpec s = spec("0.3.0", IMG3, 1, strategy);
        s.setUpgradePath(path.length == 0 ? null : List.of(path));
        return s;
    }

    /** 0.1.0 -> 0.2.0 -> 0.1.0 ran here before (the seed's downgrade): both images are in status.images. */
    private static ErlangReleaseStatus ranBefore(Move m) {
        ErlangReleaseStatus s = status(m);
        s.getImages().put("0.2.0", IMG2);
        s.getHistory().add(new MoveRecord("0.1.0", "0.2.0", Method.Hot, "t0", "t1", MoveResult.Succeeded, "ok"));
        s.getHistory().add(new MoveRecord("0.2.0", "0.1.0", Method.Hot, "t2", "t3", MoveResult.Succeeded, "ok"));
        return s;
    }

    @Test
    void aVersionListedInUpgradePathBecomesTheFirstHop() {
        Move m = move("0.1.0", "0.3.0", IMG1, IMG3);
        Action a = decideDirect(to030(Strategy.Hot, new UpgradeStop("0.2.0", IMG2)), status(m),
                Map.of("ticker", List.of("0.2.0")));
        assertThat(a).isInstanceOf(Reroute.class);
        Move hop = ((Reroute) a).hop();
        assertThat(hop.getFrom() + " -> " + hop.getTo() + " on " + hop.getToImage()).isEqualTo("0.1.0 -> 0.2.0 on " + IMG2);
        assertThat(hop.getRoute()).containsExactly("0.1.0", "0.2.0", "0.3.0");
        assertThat(hop.getTargetImage()).isEqualTo(IMG3);
        assertThat(hop.getMethod()).isNull();
        assertThat(hop.getStartedAt()).isEqualTo(m.getStartedAt());
        assertThat(((Reroute) a).message()).isEqualTo("0.3.0's shipped appup for ticker upgrades only from 0.2.0: the move "
                + "goes 0.1.0 -> 0.2.0 -> 0.3.0, one hot hop at a time (0.2.0 is ticker:0.2.0, from spec.upgradePath)");
    }

    @Test
    void aVersionThisReleaseRanBeforeIsKnownFromHistoryButUpgradePathComesFirst() {
        Move m = move("0.1.0", "0.3.0", IMG1, IMG3);
        Action fromHistory = decideDirect(to030(Strategy.Hot), ranBefore(m), Map.of("ticker", List.of("0.2.0")));
        assertThat(((Reroute) fromHistory).hop().getToImage()).isEqualTo(IMG2);
        assertThat(((Reroute) fromHistory).message()).endsWith("(0.2.0 is ticker:0.2.0, from status.history)");

        Action listed = decideDirect(to030(Strategy.Hot, new UpgradeStop("0.2.0", "registry.example/ticker:0.2.0-r2")),
                ranBefore(m), Map.of("ticker", List.of("0.2.0")));
        assertThat(((Reroute) listed).hop().getToImage()).isEqualTo("registry.example/ticker:0.2.0-r2");
    }

    @Test
    void aVersionAMoveOnlyAimedAtIsNotKnown() {
        Move m = move("0.1.0", "0.3.0", IMG1, IMG3);
        ErlangReleaseStatus s = status(m);
        s.getImages().put("0.2.0", IMG2);
        s.getHistory().add(new MoveRecord("0.1.0", "0.2.0", Method.Hot, "t0", "t1", MoveResult.Failed, "broken"));
        assertThat(decideDirect(to030(Strategy.Hot), s, Map.of("ticker", List.of("0.2.0")))).isInstanceOf(FailMove.class);
    }

    @Test
    void noRouteUnderHotFailsNamingTheMissingHop() {
        Action a = decideDirect(to030(Strategy.Hot), status(move("0.1.0", "0.3.0", IMG1, IMG3)),
                Map.of("ticker", List.of("0.2.0")));
        assertThat(a).isEqualTo(new FailMove(Reasons.NO_HOT_PATH, "0.3.0's shipped appup for ticker upgrades only from "
                + "0.2.0; no image is known for 0.2.0: list it in spec.upgradePath; strategy Hot leaves the pods on 0.1.0"));
    }

    @Test
    void noRouteUnderAutoRestartsOntoTheTargetSayingWhy() {
        Action a = decideDirect(to030(Strategy.Auto), status(move("0.1.0", "0.3.0", IMG1, IMG3)),
                Map.of("ticker", List.of("0.2.0")));
        assertThat(a).isInstanceOf(ChooseMethod.class);
        ChooseMethod c = (ChooseMethod) a;
        assertThat(c.method()).isEqualTo(Method.Restart);
        assertThat(c.fallback()).isTrue();
        assertThat(c.message()).isEqualTo("0.3.0's shipped appup for ticker upgrades only from 0.2.0; no image is known "
                + "for 0.2.0: list it in spec.upgradePath; strategy Auto restarts the pods onto 0.3.0");
    }

    @Test
    void aRouteIsPreferredToARestartUnderAuto() {
        Action a = decideDirect(to030(Strategy.Auto, new UpgradeStop("0.2.0", IMG2)),
                status(move("0.1.0", "0.3.0", IMG1, IMG3)), Map.of("ticker", List.of("0.2.0")));
        assertThat(a).isInstanceOf(Reroute.class);
    }

    @Test
    void aRegularExpressionEntryMatchesTheWholeVersion() {
        Move m = move("0.1.0", "0.3.0", IMG1, IMG3);
        Map<String, List<String>> pattern = Map.of("ticker", List.of("0\\.2\\.[0-9]+"));
        Action a = decideDirect(to030(Strategy.Hot, new UpgradeStop("0.2.1-rc1", "ticker:0.2.1-rc1"),
                new UpgradeStop("0.2.1", "ticker:0.2.1")), status(m), pattern);
        assertThat(((Reroute) a).hop().getTo()).as("0.2.1-rc1 matches only in part").isEqualTo("0.2.1");

        Action none = decideDirect(to030(Strategy.Hot, new UpgradeStop("0.2.1-rc1", "ticker:0.2.1-rc1")), status(m), pattern);
        assertThat(((FailMove) none).message()).contains("no image is known for a version matching 0\\.2\\.[0-9]+: list it "
                + "in spec.upgradePath");
    }

    @Test
    void aPatternThatWouldBacktrackForeverMatchesNothing() {
        long t0 = System.nanoTime();
        assertThat(AppupVersions.matches("(0|0)*1", "0".repeat(60))).isFalse();
        assertThat(AppupVersions.matches("([", "0.2.0")).as("not a pattern").isFalse();
        assertThat(System.nanoTime() - t0).isLessThan(2_000_000_000L);
    }

    @Test
    void everyApplicationTheReportNamesMustUpgradeFromTheHop() {
        Map<String, List<String>> two = new java.util.LinkedHashMap<>();
        two.put("ticker", List.of("0.2.0", "0.2.5"));
        two.put("ticker_lib", List.of("0.2.5"));
        Action a = decideDirect(to030(Strategy.Hot, new UpgradeStop("0.2.0", IMG2), new UpgradeStop("0.2.5", "ticker:0.2.5")),
                status(move("0.1.0", "0.3.0", IMG1, IMG3)), two);
        assertThat(((Reroute) a).hop().getTo()).isEqualTo("0.2.5");
    }

    @Test
    void aHopThatWouldGoInACircleIsNoRoute() {
        // the hop 0.1.0 -> 0.2.0 is itself not covered, and its appup names only the target: a circle
        Move hop = routed("0.1.0", "0.2.0", IMG1, IMG2, "0.1.0", "0.2.0", "0.3.0");
        Observation obs = withPackage(world(IMG1, pod(0, IMG1, ON_1)), notCovered("0.1.0", "0.2.0",
                Map.of("ticker", List.of("0.3.0"))));
        Action a = decider.decide(input(to030(Strategy.Hot, new UpgradeStop("0.2.0", IMG2), new UpgradeStop("0.3.0", IMG3)),
                status(hop), obs));
        assertThat(a).isInstanceOf(FailMove.class);
        assertThat(((FailMove) a).message()).contains("0.3.0 is already on the route 0.1.0 -> 0.2.0 -> 0.3.0");
    }

    @Test
    void aHopNeedingAnotherHopBeforeItGrowsTheRouteUpToFourHops() {
        Move hop = routed("0.1.0", "0.2.0", IMG1, IMG2, "0.1.0", "0.2.0", "0.3.0");
        ErlangReleaseSpec spec = to030(Strategy.Hot, new UpgradeStop("0.2.0", IMG2), new UpgradeStop("0.1.5", "ticker:0.1.5"));
        Observation obs = withPackage(world(IMG1, pod(0, IMG1, ON_1)), notCovered("0.1.0", "0.2.0",
                Map.of("ticker", List.of("0.1.5"))));
        Action a = decider.decide(input(spec, status(hop), obs));
        assertThat(((Reroute) a).hop().getRoute()).containsExactly("0.1.0", "0.1.5", "0.2.0", "0.3.0");
        assertThat(((Reroute) a).hop().getTargetImage()).isEqualTo(IMG3);

        Move deep = routed("0.1.0", "0.1.2", IMG1, "ticker:0.1.2", "0.1.0", "0.1.2", "0.1.5", "0.1.7", "0.2.0");
        ErlangReleaseSpec far = spec("0.2.0", IMG2, 1, Strategy.Hot);
        far.setUpgradePath(List.of(new UpgradeStop("0.1.1", "ticker:0.1.1")));
        Observation obs2 = withPackage(world(IMG1, pod(0, IMG1, ON_1)), notCovered("0.1.0", "0.1.2",
                Map.of("ticker", List.of("0.1.1"))));
        Action tooFar = decider.decide(input(far, status(deep), obs2));
        assertThat(((FailMove) tooFar).message()).contains("a route through 0.1.1 would take more than 4 hops");
    }

    @Test
    void aHopOfTheRouteIsNotSupersededByTheSpecItLeadsTo() {
        Move hop = routed("0.1.0", "0.2.0", IMG1, IMG2, "0.1.0", "0.2.0", "0.3.0");
        hop.setMethod(Method.Hot);
        Observation obs = world(IMG1, pod(0, IMG1, ON_1));
        assertThat(decider.decide(input(to030(Strategy.Hot), status(hop), obs))).isNotInstanceOf(FinishMove.class);
        Action other = decider.decide(input(spec("0.4.0", "ticker:0.4.0", 1, Strategy.Hot), status(hop), obs));
        assertThat(((FinishMove) other).result()).isEqualTo(MoveResult.Superseded);
    }

    @Test
    void aHopDoneStartsTheNextHopInsteadOfFinishing() {
        Move hop = routed("0.1.0", "0.2.0", IMG1, IMG2, "0.1.0", "0.2.0", "0.3.0");
        hop.setMethod(Method.Hot);
        Observation done = world(IMG2, pod(0, IMG1, ON_2));
        Action a = decider.decide(input(to030(Strategy.Hot), status(hop), done));
        assertThat(a).isInstanceOf(NextHop.class);
        Move next = ((NextHop) a).next();
        assertThat(next.getFrom() + " -> " + next.getTo()).isEqualTo("0.2.0 -> 0.3.0");
        assertThat(next.getFromImage() + " -> " + next.getToImage()).isEqualTo(IMG2 + " -> " + IMG3);
        assertThat(next.getRoute()).containsExactly("0.1.0", "0.2.0", "0.3.0");
        assertThat(next.getMethod()).isNull();
        assertThat(next.getStartedAt()).isEqualTo(Fixtures.NOW.toString());
        assertThat(((NextHop) a).message()).isEqualTo("every pod runs 0.2.0, hop 1 of 2 of the route 0.1.0 -> 0.2.0 -> "
                + "0.3.0; next hop 0.2.0 -> 0.3.0");
    }

    @Test
    void aReportWithoutAppupFromIsNotARouteMatter() {
        Action a = decideDirect(to030(Strategy.Hot, new UpgradeStop("0.2.0", IMG2)), status(move("0.1.0", "0.3.0", IMG1, IMG3)),
                Map.of());
        assertThat(((FailMove) a).reason()).isEqualTo(Reasons.NOT_HOT_UPGRADABLE);
    }

    /** The builder names every shipped appup: one that upgrades from the running version blocks nothing (not hot for
     *  another reason, e.g. a new ERTS), so no route is looked for. */
    @Test
    void aShippedAppupThatCoversTheRunningVersionIsNotARouteMatter() {
        Action a = decideDirect(to030(Strategy.Hot, new UpgradeStop("0.2.0", IMG2)), status(move("0.1.0", "0.3.0", IMG1, IMG3)),
                Map.of("ticker", List.of("0.2.0", "0.1.0")));
        assertThat(((FailMove) a).reason()).isEqualTo(Reasons.NOT_HOT_UPGRADABLE);
    }

    @Test
    void onlyTheAppupsThatDoNotCoverTheRunningVersionAreNamed() {
        Action a = decideDirect(to030(Strategy.Hot), status(move("0.1.0", "0.3.0", IMG1, IMG3)),
                Map.of("ticker", List.of("0.2.0"), "stdlib_ext", List.of("0.1.0", "0.2.0")));
        assertThat(((FailMove) a).message()).startsWith("0.3.0's shipped appup for ticker upgrades only from 0.2.0; no image");
    }

    static Move routed(String from, String to, String fromImage, String toImage, String... route) {
        Move m = move(from, to, fromImage, toImage);
        m.setRoute(new ArrayList<>(List.of(route)));
        m.setTargetImage("ticker:" + route[route.length - 1]);
        return m;
    }
}
