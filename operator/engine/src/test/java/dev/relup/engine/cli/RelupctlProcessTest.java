package dev.relup.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.testing.LiveNode;
import dev.relup.engine.testing.Ticker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * relupctl as a user runs it: the repo-root launcher as a process, JSON on stdout, exit codes, one stderr
 * line. (RELUPCTL_CLASSPATH points the launcher at target/classes: the jar does not exist yet in the test phase.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelupctlProcessTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    LiveNode node;
    Path pkg020;
    Path pkg030;

    record Run(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    @BeforeAll
    void start() throws Exception {
        node = LiveNode.start("0.1.0", work);
        pkg030 = Path.of(Ticker.build(Ticker.unpacked("0.2.0"), Ticker.unpacked("0.3.0"), work.resolve("p030"))
                .packagePath());
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void relupBuildsAPackageAndPrintsItsReport() throws Exception {
        Path out = work.resolve("out");
        Run r = relupctl(Map.of(), "relup", "--from", Ticker.unpacked("0.1.0").toString(),
                "--to", Ticker.unpacked("0.2.0").toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, r.out().strip().lines().count(), "one JSON object on one line");
        JsonNode j = r.json();
        assertEquals("ticker", j.get("release").asText());
        assertEquals("0.1.0", j.get("from").asText());
        assertEquals("0.2.0", j.get("to").asText());
        assertTrue(j.get("hot").asBoolean());
        assertTrue(j.get("reasons").isArray());
        assertTrue(j.get("changed_modules").toString().contains("ticker_server"));
        pkg020 = Path.of(j.get("package").asText());
        assertEquals(out.resolve("ticker-0.2.0.tar.gz"), pkg020);
        assertEquals(sha256(pkg020), j.get("sha256").asText());
    }

    @Test
    @Order(2)
    void statusTakesTheCookieFromTheEnvironment() throws Exception {
        Run r = relupctl(Map.of("RELUP_COOKIE", node.cookie()), "status", "--node", node.name().toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode j = r.json();
        assertEquals("0.1.0", j.get("running").asText());
        assertEquals("permanent", j.get("releases").get(0).get("state").asText());
    }

    @Test
    @Order(3)
    void installUpgradesAndReportsEachStep() throws Exception {
        Run r = relupctl(Map.of(), "install", "--node", node.name().toString(), "--cookie", node.cookie(),
                "--package", pkg020.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode j = r.json();
        assertEquals("0.1.0", j.get("from").asText());
        assertEquals("0.2.0", j.get("to").asText());
        List<String> steps = new ArrayList<>();
        j.get("steps").forEach(s -> {
            steps.add(s.get("step").asText());
            assertTrue(s.get("ms").asLong() >= 0);
        });
        assertEquals(List.of("check_path", "transfer", "check_path", "unpack", "check_path", "install",
                "make_permanent", "copy_start_script"), steps);
        try (ReleaseHandlerClient c = node.client()) {
            assertEquals("0.2.0", c.runningVsn());
        }
    }

    @Test
    @Order(4)
    void downgradeGoesBack() throws Exception {
        Run r = relupctl(Map.of(), "downgrade", "--node", node.name().toString(), "--cookie", node.cookie(),
                "--to", "0.1.0");
        assertEquals(0, r.exit(), r.err());
        assertEquals("0.2.0", r.json().get("from").asText());
        assertEquals("0.1.0", r.json().get("to").asText());
    }

    @Test
    @Order(5)
    void noPathFailsWithOneLineAndTheNodeKeepsItsVersion() throws Exception {
        Run r = relupctl(Map.of("RELUP_COOKIE", node.cookie()), "install", "--node", node.name().toString(),
                "--package", pkg030.toString());
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("relupctl: NO_UPGRADE_PATH: no upgrade path from 0.1.0 to 0.3.0"), r.err());
        try (ReleaseHandlerClient c = node.client()) {
            assertEquals("0.1.0", c.runningVsn());
        }
    }

    @Test
    @Order(6)
    void wrongCookieFailsWithOneLineWithoutTheCookie() throws Exception {
        Run r = relupctl(Map.of(), "status", "--node", node.name().toString(), "--cookie", "WRONGwrong");
        assertEquals(1, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("relupctl: AUTH_FAILED:"), r.err());
        assertFalse(r.err().contains("WRONGwrong"));
    }

    @Test
    @Order(7)
    void usageErrorsExit2() throws Exception {
        Run none = relupctl(Map.of());
        assertEquals(2, none.exit());
        assertEquals(1, none.err().strip().lines().count(), none.err());
        Run typo = relupctl(Map.of(), "status", "--nod", "x@127.0.0.1");
        assertEquals(2, typo.exit());
        assertTrue(typo.err().contains("--nod"), typo.err());
        Run noCookie = relupctl(Map.of("RELUP_COOKIE", ""), "status", "--node", node.name().toString());
        assertEquals(2, noCookie.exit());
        assertTrue(noCookie.err().contains("RELUP_COOKIE"), noCookie.err());
    }

    private Run relupctl(Map<String, String> env, String... args) throws Exception {
        Path engine = Ticker.repo().resolve("operator/engine/target");
        String cp = engine.resolve("classes") + ":" + Files.readString(engine.resolve("classpath.txt")).strip();
        List<String> cmd = new ArrayList<>(List.of(Ticker.repo().resolve("relupctl").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("RELUP_COOKIE");
        pb.environment().put("RELUPCTL_CLASSPATH", cp);
        pb.environment().putAll(env);
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "relupctl " + String.join(" ", args) + " hung");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
