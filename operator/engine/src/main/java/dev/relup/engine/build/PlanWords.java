package dev.relup.engine.build;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A {@link BuildPlan} in a user's words: one line per instruction, and a one-line summary for an event. */
public final class PlanWords {

    private PlanWords() {}

    /** E.g. "ticker_server (gen_server): code_change, soft purge", "ticker_sup: child ticker_stats started". */
    public static String line(BuildPlan.Instruction i) {
        String what = switch (i.kind()) {
            case "load" -> "loaded";
            case "code_change" -> "code_change" + (i.detail() == null ? "" : " (" + i.detail() + ")");
            case "soft_update" -> "reloaded, " + (i.detail() == null ? "no code_change" : i.detail());
            case "add" -> "added";
            case "delete" -> "deleted";
            case "start_child" -> "child " + i.detail() + " started";
            case "stop_child" -> "child " + i.detail() + " stopped";
            case "delete_child" -> "child " + i.detail() + " deleted";
            case "apply" -> "calls " + i.detail();
            case "start_app" -> "application started";
            case "stop_app" -> "application stopped";
            case "restart_app" -> "application restarted";
            case "load_app" -> "application loaded";
            case "restart_emulator" -> "the emulator restarts";
            default -> i.kind() + (i.detail() == null ? "" : " " + i.detail());
        };
        String who = i.module() == null ? "" : i.module() + (i.behaviour() == null ? "" : " (" + i.behaviour() + ")") + ": ";
        return who + what + (i.purge() == null ? "" : ", " + i.purge() + " purge");
    }

    public static List<String> lines(BuildPlan.App app) {
        return app.instructions().stream().map(PlanWords::line).toList();
    }

    /**
     * E.g. "ticker: 2 updated with code_change (ticker_sup, ticker_server), 1 loaded (ticker_app), 1 added
     * (ticker_stats), 1 child started (ticker_stats); soft purge". Apps are separated by "; ".
     */
    public static String summary(BuildPlan plan) {
        List<String> parts = new ArrayList<>();
        Set<String> purges = new LinkedHashSet<>();
        for (BuildPlan.App app : plan.apps()) {
            Map<String, List<String>> byKind = new LinkedHashMap<>();
            for (BuildPlan.Instruction i : app.instructions()) {
                String name = i.kind().endsWith("_child") ? i.detail() : i.module();
                byKind.computeIfAbsent(i.kind(), k -> new ArrayList<>()).add(name == null ? "" : name);
                if (i.purge() != null && !"delete".equals(i.kind())) {
                    purges.add(i.purge());
                }
            }
            List<String> counts = new ArrayList<>();
            byKind.forEach((kind, names) -> counts.add(count(kind, names)));
            parts.add(app.app() + ": " + (counts.isEmpty() ? "no instructions" : String.join(", ", counts)));
        }
        String purge = purges.isEmpty() ? "" : "; " + String.join(" and ", purges) + " purge";
        return (parts.isEmpty() ? "nothing to run" : String.join("; ", parts)) + purge;
    }

    private static String count(String kind, List<String> names) {
        String verb = switch (kind) {
            case "load" -> "loaded";
            case "code_change" -> "updated with code_change";
            case "soft_update" -> "reloaded without code_change";
            case "add" -> "added";
            case "delete" -> "deleted";
            case "start_child" -> names.size() == 1 ? "child started" : "children started";
            case "stop_child" -> names.size() == 1 ? "child stopped" : "children stopped";
            case "delete_child" -> names.size() == 1 ? "child deleted" : "children deleted";
            case "apply" -> "calls";
            case "start_app" -> "application started";
            case "stop_app" -> "application stopped";
            case "restart_app" -> "application restarted";
            case "load_app" -> "application loaded";
            case "restart_emulator" -> "emulator restart";
            default -> kind;
        };
        List<String> named = names.stream().filter(n -> !n.isEmpty()).toList();
        if (kind.endsWith("_app") || kind.equals("restart_emulator")) {
            return verb;
        }
        return names.size() + " " + verb + (named.isEmpty() ? "" : " (" + String.join(", ", named) + ")");
    }
}
