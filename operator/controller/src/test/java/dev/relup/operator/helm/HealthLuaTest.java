package dev.relup.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/** Runs the Argo CD health check on ErlangRelease objects shaped like what the operator writes. */
class HealthLuaTest {

    private static final Path SCRIPT = Path.of("../../helm/relup-operator/argocd/health.lua").toAbsolutePath().normalize();

    private static Map<String, String> health(long generation, Long observed, Map<String, String> conditionStatus) throws Exception {
        return health(generation, observed, conditionStatus, Map.of());
    }

    /** {@code reasons}: a condition's reason by type (else "TypeReason"). */
    private static Map<String, String> health(long generation, Long observed, Map<String, String> conditionStatus,
            Map<String, String> reasons) throws Exception {
        Globals g = JsePlatform.standardGlobals();
        LuaTable obj = new LuaTable();
        LuaTable meta = new LuaTable();
        meta.set("generation", LuaValue.valueOf(generation));
        obj.set("metadata", meta);
        if (observed != null) {
            LuaTable status = new LuaTable();
            status.set("observedGeneration", LuaValue.valueOf(observed));
            LuaTable conds = new LuaTable();
            int i = 1;
            for (var e : conditionStatus.entrySet()) {
                LuaTable c = new LuaTable();
                c.set("type", e.getKey());
                c.set("status", e.getValue());
                c.set("reason", reasons.getOrDefault(e.getKey(), e.getKey() + "Reason"));
                c.set("message", e.getKey() + " message");
                conds.set(i++, c);
            }
            status.set("conditions", conds);
            obj.set("status", status);
        }
        g.set("obj", obj);
        LuaValue result = g.load(Files.readString(SCRIPT), "health.lua").call();
        return Map.of("status", result.get("status").tojstring(), "message", result.get("message").tojstring());
    }

    @Test
    void healthyWhenReady() throws Exception {
        var h = health(3, 3L, ordered("Ready", "True", "Progressing", "False", "Degraded", "False"));
        assertThat(h.get("status")).isEqualTo("Healthy");
    }

    @Test
    void progressingWhileTheSpecIsNotObservedYet() throws Exception {
        assertThat(health(4, 3L, ordered("Ready", "True", "Progressing", "False", "Degraded", "False")).get("status"))
                .isEqualTo("Progressing");
        assertThat(health(1, null, Map.of()).get("status")).isEqualTo("Progressing");
    }

    @Test
    void progressingDuringAMove() throws Exception {
        var h = health(4, 4L, ordered("Ready", "False", "Progressing", "True", "Degraded", "False"));
        assertThat(h.get("status")).isEqualTo("Progressing");
        assertThat(h.get("message")).isEqualTo("Progressing message");
    }

    @Test
    void suspendedWhileAMoveAwaitsApproval() throws Exception {
        var h = health(4, 4L, ordered("Ready", "False", "Progressing", "True", "Degraded", "False"),
                Map.of("Progressing", "AwaitingApproval"));
        assertThat(h.get("status")).isEqualTo("Suspended");
        assertThat(h.get("message")).isEqualTo("Progressing message");
    }

    @Test
    void degradedWinsAndSaysWhy() throws Exception {
        var h = health(5, 5L, ordered("Ready", "False", "Progressing", "False", "Degraded", "True"));
        assertThat(h.get("status")).isEqualTo("Degraded");
        assertThat(h.get("message")).isEqualTo("DegradedReason: Degraded message");
    }

    private static Map<String, String> ordered(String... kv) {
        java.util.LinkedHashMap<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
