package dev.relup.e2e.operator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-pod time of a hot move, split into the engine's share and the operator's, from what the operator reports:
 * <ul>
 *   <li>the engine's: the step timings of each pod's {@code PodUpgraded} event (transfer, unpack, install,
 *       make_permanent, copy_start_script, and the path checks, which only the total includes), measured by the
 *       engine around each call to the node;</li>
 *   <li>the pod's wall time: the pods move in batches (the canary alone, then {@code batchSize} at a time, each
 *       batch one engine step per pass, in parallel), so a pod's time runs from the end of the batch before it (for
 *       the canary: the {@code MethodChosen} event, after the package is ready) to the last {@code PodUpgraded} of
 *       its own batch, both from the operator's log (milliseconds);</li>
 *   <li>the operator's share: wall minus engine, i.e. its passes between the steps (observing the pods and nodes,
 *       status and event writes, the requeue).</li>
 * </ul>
 * Means over the pods of the move. {@code podsPhaseMillis}: from {@code MethodChosen} to the last {@code PodUpgraded}.
 */
record PodSplit(int pods, long podsPhaseMillis, double wallMillis, double engineMillis, double operatorMillis,
        double transferMillis, double unpackMillis, double installMillis, double makePermanentMillis,
        double otherEngineMillis) {

    /** One PodUpgraded event: the pod, when it was logged, the engine steps it lists, and their total. */
    record PodUpgrade(String pod, boolean canary, long atMillis, Map<String, Long> steps, long engineMillis) {
    }

    private static final Pattern UPGRADED = Pattern.compile(
            "^pod (\\S+)( \\(canary\\))?: .* permanent: (.*) \\((\\d+) ms with path checks\\)$");
    private static final Pattern STEP = Pattern.compile("^(\\w+) (\\d+) ms$");

    double operatorToEngine() {
        return engineMillis == 0 ? Double.NaN : operatorMillis / engineMillis;
    }

    /**
     * The split of the hot move whose events are {@code events} (only this move's, in order); fails when they do
     * not show one {@code MethodChosen} and one {@code PodUpgraded} per pod with the canary first.
     */
    static PodSplit of(List<OperatorLog.Entry> events, int replicas, int batchSize) {
        OperatorLog.Entry chosen = events.stream().filter(e -> e.reason().equals("MethodChosen")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no MethodChosen event in the operator's log for this move: "
                        + reasons(events)));
        List<PodUpgrade> ups = new ArrayList<>();
        for (OperatorLog.Entry e : events) {
            if (e.reason().equals("PodUpgraded")) {
                ups.add(parse(e));
            }
        }
        if (ups.size() != replicas || !ups.get(0).canary()) {
            throw new IllegalStateException("expected " + replicas + " PodUpgraded events, the canary's first, in the "
                    + "operator's log for this move; found " + ups.size() + ": " + reasons(events));
        }
        long start = chosen.millis();
        double wall = 0;
        double engine = 0;
        Map<String, Double> steps = new LinkedHashMap<>();
        for (List<PodUpgrade> batch : batches(ups, batchSize)) {
            long end = batch.stream().mapToLong(PodUpgrade::atMillis).max().orElseThrow();
            for (PodUpgrade u : batch) {
                wall += end - start;
                engine += u.engineMillis();
                u.steps().forEach((k, v) -> steps.merge(k, v.doubleValue(), Double::sum));
            }
            start = end;
        }
        int n = ups.size();
        double transfer = steps.getOrDefault("transfer", 0.0) / n;
        double unpack = steps.getOrDefault("unpack", 0.0) / n;
        double install = steps.getOrDefault("install", 0.0) / n;
        double permanent = steps.getOrDefault("make_permanent", 0.0) / n;
        double engineMean = engine / n;
        return new PodSplit(n, start - chosen.millis(), wall / n, engineMean, wall / n - engineMean, transfer, unpack,
                install, permanent, engineMean - transfer - unpack - install - permanent);
    }

    /** The canary alone, then {@code batchSize} at a time, in the order their moves ended. */
    static List<List<PodUpgrade>> batches(List<PodUpgrade> ups, int batchSize) {
        List<List<PodUpgrade>> out = new ArrayList<>();
        out.add(List.of(ups.get(0)));
        for (int i = 1; i < ups.size(); i += batchSize) {
            out.add(ups.subList(i, Math.min(ups.size(), i + batchSize)));
        }
        return out;
    }

    static PodUpgrade parse(OperatorLog.Entry e) {
        Matcher m = UPGRADED.matcher(e.message());
        if (!m.matches()) {
            throw new IllegalStateException("a PodUpgraded event this benchmark cannot read (its format changed?): "
                    + e.message());
        }
        Map<String, Long> steps = new LinkedHashMap<>();
        for (String part : m.group(3).split(", ")) {
            Matcher s = STEP.matcher(part.trim());
            if (!s.matches()) {
                throw new IllegalStateException("a step timing this benchmark cannot read: '" + part + "' in " + e.message());
            }
            steps.put(s.group(1), Long.parseLong(s.group(2)));
        }
        return new PodUpgrade(m.group(1), m.group(2) != null, e.millis(), steps, Long.parseLong(m.group(4)));
    }

    private static String reasons(List<OperatorLog.Entry> events) {
        return events.stream().map(OperatorLog.Entry::reason).toList().toString();
    }
}
