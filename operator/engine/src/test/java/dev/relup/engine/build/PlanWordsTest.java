package dev.relup.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanWordsTest {

    @Test
    void tickerInWords() throws IOException {
        BuildPlan plan = BuildReport.parse(BuildReportTest.WITH_PLAN).plan();
        assertEquals(List.of(
                "ticker_stats (gen_server): added",
                "ticker_sup (supervisor): code_change (child specs re-read), soft purge",
                "ticker_server (gen_server): code_change, soft purge",
                "ticker_app (application): loaded, soft purge",
                "ticker_sup: child ticker_stats started"), PlanWords.lines(plan.apps().get(0)));
        assertEquals("ticker: 1 added (ticker_stats), 2 updated with code_change (ticker_sup, ticker_server), "
                + "1 loaded (ticker_app), 1 child started (ticker_stats); soft purge", PlanWords.summary(plan));
    }

    @Test
    void appMovesAndMixedPurges() {
        BuildPlan plan = new BuildPlan(List.of(
                new BuildPlan.App("ticker", "0.1.0", "0.2.0", "shipped", List.of(
                        new BuildPlan.Instruction("load", "a", null, "brutal", null),
                        new BuildPlan.Instruction("code_change", "b", "gen_statem", "soft", "extra {to,2}"),
                        new BuildPlan.Instruction("delete", "c", null, "brutal", null))),
                new BuildPlan.App("metrics", null, "1.0.0", null, List.of(
                        new BuildPlan.Instruction("start_app", null, null, null, null)))), 20);
        assertEquals("b (gen_statem): code_change (extra {to,2}), soft purge",
                PlanWords.line(plan.apps().get(0).instructions().get(1)));
        assertEquals("application started", PlanWords.line(plan.apps().get(1).instructions().get(0)));
        assertEquals("ticker: 1 loaded (a), 1 updated with code_change (b), 1 deleted (c); metrics: application started; "
                + "brutal and soft purge", PlanWords.summary(plan));
    }
}
