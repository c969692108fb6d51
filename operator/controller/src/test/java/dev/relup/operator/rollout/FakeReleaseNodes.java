package dev.relup.operator.rollout;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.relup.api.v1alpha1.ReleaseEntry;
import dev.relup.engine.config.AppChange;
import dev.relup.engine.config.Callback;
import dev.relup.engine.config.ConfigReport;
import dev.relup.engine.handler.Release;
import dev.relup.engine.handler.ReleaseState;
import dev.relup.engine.handler.Releases;
import dev.relup.engine.upgrade.Plan;
import dev.relup.engine.upgrade.Step;
import dev.relup.engine.upgrade.StepTiming;
import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.node.NodeRef;
import dev.relup.operator.node.ReleaseNodes;

/**
 * release_handler as a small state machine per node (which_releases states, the start script, a package on disk),
 * stepped by the engine's own {@link Plan}, recording every call, so tests can check that nothing is done twice
 * and that failures surface typed.
 */
public final class FakeReleaseNodes implements ReleaseNodes {

    // the operator asks nodes in parallel (observation, batches): whatever a session writes is thread-safe
    public final Map<String, Map<String, String>> nodes = new LinkedHashMap<>(); // pod -> vsn -> state
    /** Pods whose bin/REL boots another version than the permanent one (make_permanent done, copy not yet). */
    public final Set<String> staleScript = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<String> packageOnNode = java.util.concurrent.ConcurrentHashMap.newKeySet();
    public final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    public final Set<String> unreachable = new HashSet<>();
    public NodeFailure failInstall;
    /** Pods whose steps fail (which_releases still answers), e.g. a node that times out. */
    public final Map<String, NodeFailure> failSteps = new LinkedHashMap<>();
    /** A pod's health check answer per version it runs (e.g. "ticker-2 0.2.0" -> "{error,slow}"); default ok. */
    public final Map<String, String> health = new LinkedHashMap<>();
    /** A pod's BEAM boot (changes when its node restarts in place); default "1". */
    public final Map<String, String> beams = new LinkedHashMap<>();

    /** Live config overrides persisted per pod and release version (canonical text); none: {@code "[]."}. */
    public final Map<String, Map<String, String>> config = new LinkedHashMap<>();
    /** Config texts a node rejects, with the reason it gives. */
    public final Map<String, String> rejectConfig = new LinkedHashMap<>();
    /** Pods whose application's config_change/3 fails. */
    public final Set<String> failCallback = new HashSet<>();

    /** The canonical form the fake node prints back: no whitespace, a final dot. */
    public static String canonical(String text) {
        String t = text == null ? "" : text.replaceAll("\\s+", "");
        t = t.isEmpty() ? "[]" : t;
        return t.endsWith(".") ? t : t + ".";
    }

    /** The overrides pod's node persisted for {@code vsn}. */
    public String configOf(String pod, String vsn) {
        return config.getOrDefault(pod, Map.of()).getOrDefault(vsn, "[].");
    }

    public void node(String pod, String... entries) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String e : entries) {
            String[] kv = e.split(":");
            m.put(kv[0], kv[1]);
        }
        nodes.put(pod, m);
    }

    @Override
    public NodeSession open(NodeRef ref) throws NodeFailure {
        Map<String, String> n = nodes.get(ref.pod());
        if (n == null || unreachable.contains(ref.pod())) {
            throw new NodeFailure(NodeFailure.Kind.UNREACHABLE, ref.pod() + ": not registered with epmd");
        }
        String pod = ref.pod();
        return new NodeSession() {
            @Override
            public List<ReleaseEntry> whichReleases() {
                calls.add(pod + " which_releases");
                return n.entrySet().stream().map(e -> new ReleaseEntry(e.getKey(), e.getValue())).toList();
            }

            @Override
            public boolean started() {
                return true;
            }

            @Override
            public boolean startScriptIs(String version) {
                return !staleScript.contains(pod) && "permanent".equals(n.get(version));
            }

            @Override
            public StepDone advance(String to, Optional<dev.relup.operator.node.PackageFile> packageFile) throws NodeFailure {
                if (failSteps.containsKey(pod)) {
                    calls.add(pod + " failed step");
                    throw failSteps.get(pod);
                }
                Releases rs = new Releases(n.entrySet().stream()
                        .map(e -> new Release("ticker", e.getKey(), List.of(), ReleaseState.fromAtom(e.getValue()))).toList());
                Step step = Plan.next(rs, to, packageOnNode.contains(pod + " " + to), !staleScript.contains(pod));
                if ((step == Step.TRANSFER || step == Step.UNPACK) && packageFile.isEmpty()) {
                    throw new NodeFailure(NodeFailure.Kind.PACKAGE_FAILED, pod + ": " + to + " is not on the node");
                }
                calls.add(pod + " " + step.name().toLowerCase() + (step == Step.DONE ? "" : " " + to));
                if (step == Step.INSTALL && !configOf(pod, running(n)).equals(configOf(pod, to))) {
                    // as the engine's NodeMove does before install_release: the live overrides go along
                    calls.add(calls.size() - 1, pod + " carry_config " + to);
                    config.computeIfAbsent(pod, k -> new LinkedHashMap<>()).put(to, configOf(pod, running(n)));
                }
                switch (step) {
                    // per version: the package of one move is not the package of the next
                    case TRANSFER -> packageOnNode.add(pod + " " + to);
                    case UNPACK -> n.put(to, "unpacked");
                    case INSTALL -> {
                        if (failInstall != null) {
                            throw failInstall;
                        }
                        n.replaceAll((v, s) -> s.equals("current") ? "old" : s);
                        n.put(to, "current");
                    }
                    case MAKE_PERMANENT -> {
                        n.replaceAll((v, s) -> s.equals("permanent") ? "old" : s);
                        n.put(to, "permanent");
                        staleScript.add(pod);
                    }
                    case COPY_START_SCRIPT -> staleScript.remove(pod);
                    default -> { }
                }
                return new StepDone(step, step == Step.DONE ? List.of() : List.of(new StepTiming(step, 1, "fake")));
            }

            @Override
            public HealthAnswer checkHealth(dev.relup.api.v1alpha1.HealthCheck check) {
                String running = running(n);
                calls.add(pod + (check == null ? " beam " : " health ") + running);
                String answer = check == null ? "ok" : health.getOrDefault(pod + " " + running,
                        health.getOrDefault(pod + " " + configOf(pod, running), "ok"));
                return new HealthAnswer(answer.equals("ok") || answer.equals("true"), answer, 1,
                        beams.getOrDefault(pod, "1"));
            }

            @Override
            public String overrides(String vsn) {
                return configOf(pod, vsn);
            }

            @Override
            public ConfigVerdict validateConfig(String text) {
                calls.add(pod + " validate_config " + canonical(text));
                String reason = rejectConfig.get(text);
                return reason == null ? new ConfigVerdict(canonical(text), null) : new ConfigVerdict(null, reason);
            }

            @Override
            public ConfigApplied applyConfig(String text) throws NodeFailure {
                String next = canonical(text);
                if (rejectConfig.containsKey(text)) {
                    throw new NodeFailure(NodeFailure.Kind.OTHER, pod + ": config rejected: " + rejectConfig.get(text));
                }
                String vsn = running(n);
                String previous = configOf(pod, vsn);
                calls.add(pod + " apply_config " + next);
                config.computeIfAbsent(pod, k -> new LinkedHashMap<>()).put(vsn, next);
                Callback cb = failCallback.contains(pod) ? new Callback(Callback.Outcome.FAILED, "{error,bad_interval}")
                        : new Callback(Callback.Outcome.CALLED, "ticker_app:config_change(...)");
                return new ConfigApplied(previous, next, new ConfigReport(vsn, List.of(new AppChange("ticker",
                        Map.of("interval", next), Map.of(), List.of(), cb))));
            }

            @Override
            public void close() {
            }
        };
    }

    private static String running(Map<String, String> n) {
        return n.entrySet().stream().filter(e -> e.getValue().equals("current")).map(Map.Entry::getKey)
                .findFirst().orElseGet(() -> n.entrySet().stream().filter(e -> e.getValue().equals("permanent"))
                        .map(Map.Entry::getKey).findFirst().orElse("?"));
    }
}
