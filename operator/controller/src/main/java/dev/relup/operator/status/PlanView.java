package dev.relup.operator.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.relup.api.v1alpha1.AppPlan;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.PlanRehearsal;
import dev.relup.api.v1alpha1.UpgradePlan;
import dev.relup.engine.build.BuildPlan;
import dev.relup.engine.build.PlanWords;
import dev.relup.engine.build.Rehearsal;
import dev.relup.operator.observe.CachedPackage;

/**
 * status.plan: the build report of the move's package in a user's words. The plan of a move stays after it as the
 * last plan (what ran last is worth reading) until a move with a package of its own replaces it; a move without one
 * (a downgrade to a release the nodes still hold) shows none.
 */
public final class PlanView {

    private PlanView() {}

    /** The plan to show, given the previous one, the move (null when none) and its package, if known. */
    public static UpgradePlan next(UpgradePlan previous, Move move, Optional<CachedPackage> pkg) {
        if (move == null) {
            return previous;
        }
        UpgradePlan hop = hop(previous, move, pkg);
        if (!move.routed()) {
            return hop == null || hop.getRoute() == null ? hop : withRoute(hop, null, null, null);
        }
        return route(previous, hop, move, pkg);
    }

    private static UpgradePlan hop(UpgradePlan previous, Move move, Optional<CachedPackage> pkg) {
        Optional<CachedPackage> own = pkg.filter(c -> c.isFor(move.getFrom(), move.getTo()));
        if (own.isPresent()) {
            return of(own.get());
        }
        // the package may leave the cache during the move (pruned, operator disk lost): keep what was published
        return previous != null && previous.isFor(move.getFrom(), move.getTo()) ? previous : null;
    }

    /**
     * The plan of a hop, with the whole route around it: shown from the pass that planned the route, before the first
     * pod moves (the hop's own package may not be built yet: then from/to only). Each hop's line is its plan in one
     * line once its package was seen, kept from the previous plan while the later hops are built.
     */
    private static UpgradePlan route(UpgradePlan previous, UpgradePlan hop, Move move, Optional<CachedPackage> pkg) {
        List<String> route = move.getRoute();
        String reason = pkg.filter(c -> !c.hot() && c.isFor(route.get(0), move.target()))
                .map(c -> c.from() + " -> " + c.to() + " is not hot: " + String.join("; ", c.reasons()))
                .orElse(previous != null && previous.getRoute() != null && previous.getRoute().get(0).equals(route.get(0))
                        && previous.getRoute().get(previous.getRoute().size() - 1).equals(move.target())
                        ? previous.getRouteReason() : null);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i + 1 < route.size(); i++) {
            String from = route.get(i);
            String to = route.get(i + 1);
            String line = pkg.filter(c -> c.isFor(from, to)).map(PlanView::summary)
                    .or(() -> previous == null || previous.getHops() == null ? Optional.empty()
                            : previous.getHops().stream().filter(l -> names(l, from, to)).findFirst())
                    .orElse(from + " -> " + to + ": not built yet");
            lines.add(line);
        }
        UpgradePlan base = hop;
        if (base == null) {
            base = new UpgradePlan();
            base.setFrom(move.getFrom());
            base.setTo(move.getTo());
        }
        return withRoute(base, new ArrayList<>(route), reason, lines);
    }

    /** Whether a hop line is the one of {@code from -> to} (a summary starts with them). */
    private static boolean names(String line, String from, String to) {
        String head = from + " -> " + to;
        return line.startsWith(head + ":") || line.startsWith(head + " (");
    }

    /** A copy of {@code p} with these route fields (the previous status is never changed in place). */
    private static UpgradePlan withRoute(UpgradePlan p, List<String> route, String reason, List<String> hops) {
        UpgradePlan c = new UpgradePlan();
        c.setFrom(p.getFrom());
        c.setTo(p.getTo());
        c.setHot(p.getHot());
        c.setReasons(p.getReasons());
        c.setPackageSize(p.getPackageSize());
        c.setPackageSha256(p.getPackageSha256());
        c.setRelupInstructions(p.getRelupInstructions());
        c.setSummary(p.getSummary());
        c.setApps(p.getApps());
        c.setRehearsal(p.getRehearsal());
        c.setRoute(route);
        c.setRouteReason(reason);
        c.setHops(hops);
        return c;
    }

    public static UpgradePlan of(CachedPackage c) {
        UpgradePlan p = new UpgradePlan();
        p.setFrom(c.from());
        p.setTo(c.to());
        p.setHot(c.hot());
        p.setReasons(new ArrayList<>(c.reasons()));
        p.setPackageSize(c.size());
        p.setPackageSha256(c.sha256());
        p.setSummary(summary(c));
        c.planned().ifPresent(plan -> {
            p.setRelupInstructions(plan.relupInstructions());
            p.setApps(new ArrayList<>(plan.apps().stream().map(PlanView::app).toList()));
        });
        c.rehearsed().ifPresent(r -> p.setRehearsal(rehearsal(r)));
        return p;
    }

    /** E.g. "0.1.0 -> 0.2.0: ticker: 1 added (ticker_stats), ...; soft purge", the PlanReady event's message. */
    public static String summary(CachedPackage c) {
        String head = c.from() + " -> " + c.to() + (c.hot() ? "" : " (not hot: " + String.join("; ", c.reasons()) + ")");
        return head + ": " + c.planned().map(PlanWords::summary).orElse("no plan in the build report (an older builder)")
                + c.rehearsed().map(r -> r.passed() ? "; rehearsal passed in " + r.millis() + " ms"
                        : "; rehearsal failed at " + r.failedStep()).orElse("");
    }

    static PlanRehearsal rehearsal(Rehearsal r) {
        PlanRehearsal p = new PlanRehearsal();
        p.setResult(r.passed() ? "Succeeded" : "Failed");
        p.setMillis(r.millis());
        p.setFailedStep(r.failedStep());
        p.setCrash(r.crash());
        p.setSteps(new ArrayList<>(r.steps().stream().map(s -> s.step() + ": " + (s.ok() ? "ok" : "failed") + " in "
                + s.millis() + " ms" + (s.detail() == null || s.detail().isBlank() ? "" : " (" + s.detail() + ")")).toList()));
        return p;
    }

    private static AppPlan app(BuildPlan.App a) {
        return new AppPlan(a.app(), a.from(), a.to(), a.appup(), new ArrayList<>(PlanWords.lines(a)));
    }

    /** Whether {@code next} publishes a plan that {@code previous} did not have (another package). */
    public static boolean isNew(UpgradePlan previous, UpgradePlan next) {
        // a route's plan before its hop is built has no package yet: nothing to tell (RoutePlanned told the route)
        return next != null && next.getPackageSha256() != null && (previous == null || !previous.isFor(next.getFrom(), next.getTo())
                || !java.util.Objects.equals(previous.getPackageSha256(), next.getPackageSha256()));
    }
}
