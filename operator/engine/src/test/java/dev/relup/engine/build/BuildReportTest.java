package dev.relup.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void rejectsWhatIsNotAReport() {
        assertThrows(IOException.class, () -> BuildReport.parse("{\"release\":\"ticker\"}"));
        assertThrows(IOException.class, () -> BuildReport.parse("not json"));
    }
}
