package dev.relup.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildReportTest {

    static final String JSON = """
            {"changed_apps":["ticker"],"changed_modules":["ticker_app","ticker_server"],"erts_from":"13.1.5",
             "erts_to":"13.1.5","from":"0.1.0","hot":false,"package":"/out/ticker-0.2.0.tar.gz",
             "reasons":["ticker_sup: children unknown"],"release":"ticker","sha256":"ab12","size":1658061,
             "to":"0.2.0","future_field":1}
            """;

    @Test
    void parsesTheContractsFields() throws IOException {
        BuildReport r = BuildReport.parse(JSON);
        assertEquals("ticker", r.release());
        assertEquals("0.1.0", r.from());
        assertEquals("0.2.0", r.to());
        assertEquals("/out/ticker-0.2.0.tar.gz", r.packagePath());
        assertEquals(1658061, r.size());
        assertFalse(r.hot());
        assertEquals(List.of("ticker_sup: children unknown"), r.reasons());
        assertEquals(List.of("ticker_app", "ticker_server"), r.changedModules());
    }

    @Test
    void roundTripsWithTheSameNames() throws IOException {
        BuildReport r = BuildReport.parse(JSON);
        assertEquals(r, BuildReport.parse(r.toJson()));
        assertEquals(true, r.toJson().contains("\"changed_modules\""));
    }

    /** What the builder printed for ticker 0.1.0 -> 0.2.0 (operator/builder/test: ticker_plan_test). */
    static final String PLAN = """
            {"apps":[{"app":"ticker","appup":"generated","from":"0.1.0","instructions":[
             {"behaviour":"gen_server","kind":"add","module":"ticker_stats"},
             {"behaviour":"supervisor","detail":"child specs re-read","kind":"code_change","module":"ticker_sup","purge":"soft"},
             {"behaviour":"gen_server","kind":"code_change","module":"ticker_server","purge":"soft"},
             {"behaviour":"application","kind":"load","module":"ticker_app","purge":"soft"},
             {"detail":"ticker_stats","kind":"start_child","module":"ticker_sup"}],"to":"0.2.0"}],
             "relup_instructions":10,"future_field":true}
            """;

    static final String WITH_PLAN = JSON.strip().replace("\"future_field\":1}", "\"plan\":" + PLAN.strip() + "}");

    @Test
    void aReportWithoutPlanHasNone() throws IOException {
        assertNull(BuildReport.parse(JSON).plan());
        assertTrue(BuildReport.parse(JSON).planned().isEmpty());
        assertFalse(BuildReport.parse(JSON).toJson().contains("\"plan\""));
    }

    @Test
    void parsesThePlan() throws IOException {
        BuildPlan plan = BuildReport.parse(WITH_PLAN).plan();
        assertEquals(10, plan.relupInstructions());
        BuildPlan.App app = plan.apps().get(0);
        assertEquals(List.of("ticker", "0.1.0", "0.2.0", "generated"), List.of(app.app(), app.from(), app.to(), app.appup()));
        assertEquals(new BuildPlan.Instruction("code_change", "ticker_server", "gen_server", "soft", null),
                app.instructions().get(2));
        assertEquals(new BuildPlan.Instruction("start_child", "ticker_sup", null, null, "ticker_stats"),
                app.instructions().get(4));
        BuildReport r = BuildReport.parse(WITH_PLAN);
        assertEquals(r, BuildReport.parse(r.toJson()));
        assertFalse(r.toJson().contains("null"), "absent keys stay absent: " + r.toJson());
    }

    @Test
    void aReportWithoutAppupFromHasAnEmptyOne() throws IOException {
        assertEquals(java.util.Map.of(), BuildReport.parse(JSON).appupFrom());
        assertFalse(BuildReport.parse(JSON).toJson().contains("appup_from"));
    }

    /** The shipped appup of ticker 0.3.0 knows only 0.2.0: the builder names it (a regex entry as its pattern text). */
    @Test
    void parsesTheVersionsAShippedAppupUpgradesFrom() throws IOException {
        String json = JSON.strip().replace("\"future_field\":1}",
                "\"appup_from\":{\"ticker\":[\"0.2.0\"],\"ticker_lib\":[\"0\\\\.2\\\\..*\",\"0.1.5\"]}}");
        BuildReport r = BuildReport.parse(json);
        assertEquals(List.of("0.2.0"), r.appupFrom().get("ticker"));
        assertEquals(List.of("0\\.2\\..*", "0.1.5"), r.appupFrom().get("ticker_lib"));
        assertEquals(List.of("ticker", "ticker_lib"), List.copyOf(r.appupFrom().keySet()), "in the report's order");
        assertEquals(r, BuildReport.parse(r.toJson()));
    }

    @Test
    void rejectsWhatIsNotAReport() {
        assertThrows(IOException.class, () -> BuildReport.parse("{\"release\":\"ticker\"}"));
        assertThrows(IOException.class, () -> BuildReport.parse("not json"));
    }
}
