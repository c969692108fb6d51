package dev.relup.operator.decide;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.relup.api.v1alpha1.Method;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.Strategy;
import dev.relup.operator.decide.Action.ChooseMethod;
import dev.relup.operator.decide.Action.FailMove;
import dev.relup.operator.decide.Action.NextHop;
import dev.relup.operator.decide.Action.Reroute;
import dev.relup.operator.observe.CachedPackage;

/**
 * Multi-step moves (issue 11). When the target's shipped appup does not upgrade from the running version, the build
 * report names the versions it does upgrade from ({@code appup_from}); the move then goes through one of them whose
 * image is known ({@link KnownImages}), each hop a move of its own: built, rehearsed, canary first, its own history
 * entry, hot. Only the next hop is chosen here: each hop's own build says whether it needs another one before it, so
 * the route grows from the target backwards, never past {@link #MAX_HOPS} hops and never through a version twice.
 * The route lives in {@code status.move.route}, so an operator restarted between hops goes on where it was.
 */
final class Route {

    /** A route longer than this is more likely a wrong turn than a plan (and each hop is a build and a rollout). */
    static final int MAX_HOPS = 4;

    private Route() {}

    /**
     * What to do with a package that is not hot: a hop through a version the target's appup upgrades from, or, when no
     * such version is known, what the strategy does with a step that is not hot (Auto restarts, Hot fails, saying
     * which hop is missing). Empty when the report names no appup_from: not a matter of routes.
     */
    static Optional<Action> around(Decider.Input in, Move m, CachedPackage c) {
        Map<String, List<String>> appupFrom = c.appupFrom();
        // the builder names every shipped appup, also those that do cover the running version: only an appup that
        // does not makes this a matter of routes (a package can be not hot for other reasons, e.g. a new ERTS)
        Map<String, List<String>> blocking = new java.util.LinkedHashMap<>();
        appupFrom.forEach((app, entries) -> {
            if (!AppupVersions.named(entries, m.getFrom())) {
                blocking.put(app, entries);
            }
        });
        if (blocking.isEmpty()) {
            return Optional.empty();
        }
        List<String> route = m.routed() ? m.getRoute() : List.of(m.getFrom(), m.getTo());
        String uncovered = uncovered(m, blocking);
        // a version every such application upgrades from (application versions follow the release's, as in relx
        // releases built from one repository; an application with its own numbering finds no route here)
        List<KnownImages.Known> named = KnownImages.of(in.spec(), in.status()).stream()
                .filter(k -> appupFrom.values().stream().allMatch(entries -> AppupVersions.named(entries, k.version())))
                .toList();
        Optional<KnownImages.Known> through = named.stream().filter(k -> !route.contains(k.version())).findFirst();
        if (through.isPresent() && route.size() - 1 < MAX_HOPS) {
            return Optional.of(reroute(m, route, through.get(), uncovered));
        }
        String missing = through.isPresent()
                ? "a route through " + through.get().version() + " would take more than " + MAX_HOPS + " hops"
                : !named.isEmpty()
                ? String.join(", ", named.stream().map(KnownImages.Known::version).toList())
                        + " is already on the route " + String.join(" -> ", route) + ": no route without going in a circle"
                : "no image is known for " + String.join(" or ", entries(blocking)) + ": list it in spec.upgradePath";
        String why = uncovered + "; " + missing;
        if (SpecDefaults.strategy(in.spec()) == Strategy.Auto) {
            return Optional.of(new ChooseMethod(Method.Restart, Reasons.RESTARTING, why + "; strategy Auto restarts the pods onto "
                    + m.getTo(), true));
        }
        return Optional.of(new FailMove(Reasons.NO_HOT_PATH, why + "; strategy Hot leaves the pods on " + m.getFrom()));
    }

    /**
     * Every pod reached the hop's version: the next hop of the route starts from there, a move of its own (its build,
     * its canary, its history entry).
     */
    static Action nextHop(Decider.Input in, Move m) {
        List<String> route = m.getRoute();
        int at = route.indexOf(m.getTo());
        String next = route.get(at + 1);
        boolean last = at + 1 == route.size() - 1;
        Optional<String> image = last ? Optional.ofNullable(m.getTargetImage())
                : KnownImages.find(in.spec(), in.status(), next).map(KnownImages.Known::image);
        if (image.isEmpty()) {
            return new FailMove(Reasons.NO_HOT_PATH, "the route " + String.join(" -> ", route) + " goes on through "
                    + next + ", whose image is no longer known (neither in spec.upgradePath nor in status.history): "
                    + "list it in spec.upgradePath; the pods stay on " + m.getTo());
        }
        Move n = new Move();
        n.setFrom(m.getTo());
        n.setTo(next);
        n.setFromImage(m.getToImage());
        n.setToImage(image.get());
        n.setGeneration(m.getGeneration());
        n.setStartedAt(in.now().toString());
        n.setRoute(new ArrayList<>(route));
        n.setTargetImage(m.getTargetImage());
        return new NextHop(n, "every pod runs " + m.getTo() + ", hop " + at + " of " + (route.size() - 1)
                + " of the route " + String.join(" -> ", route) + "; next hop " + m.getTo() + " -> " + next);
    }

    private static Reroute reroute(Move m, List<String> route, KnownImages.Known through, String uncovered) {
        List<String> longer = new ArrayList<>(route);
        longer.add(route.indexOf(m.getTo()), through.version());
        Move hop = m.copy();
        hop.setTo(through.version());
        hop.setToImage(through.image());
        hop.setRoute(longer);
        hop.setTargetImage(m.routed() ? m.getTargetImage() : m.getToImage());
        // the hop is a move of its own: its own package, method and verdicts
        hop.setMethod(null);
        hop.setBuildJob(null);
        hop.setPackageSha256(null);
        hop.setNotHotReasons(new ArrayList<>());
        hop.clearError();
        return new Reroute(hop, uncovered + ": the move goes " + String.join(" -> ", longer) + ", one hot hop at a time ("
                + through.version() + " is " + through.image() + ", from " + through.source() + ")");
    }

    /** E.g. "0.3.0's shipped appup for ticker upgrades only from 0.2.0". */
    static String uncovered(Move m, Map<String, List<String>> appupFrom) {
        List<String> apps = new ArrayList<>();
        appupFrom.forEach((app, entries) -> apps.add(m.getTo() + "'s shipped appup for " + app + " upgrades only from "
                + (entries.isEmpty() ? "no version" : String.join(" or ", entries.stream().map(AppupVersions::words).toList()))));
        return String.join("; ", apps);
    }

    private static List<String> entries(Map<String, List<String>> appupFrom) {
        Set<String> all = new LinkedHashSet<>();
        appupFrom.values().forEach(e -> e.forEach(v -> all.add(AppupVersions.words(v))));
        return List.copyOf(all);
    }
}
