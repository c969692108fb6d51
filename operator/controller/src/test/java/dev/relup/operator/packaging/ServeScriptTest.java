package dev.relup.operator.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.relup.engine.node.NodeRoutes;

/**
 * The build Job's serve script run for real with the busybox of this machine (Debian's busybox-static, what the
 * tools image copies), its paths moved into a temporary directory and its port onto loopback: it serves the three
 * files of the output and nothing else the build wrote, reads no httpd.conf of the build's, and exits 0 after a GET
 * of the done path.
 */
class ServeScriptTest {

    private static final Path BUSYBOX = Path.of("/usr/bin/busybox");

    @TempDir
    Path dir;

    @Test
    void servesTheOutputOnlyAndExitsZeroWhenTheOperatorSaysDone() throws Exception {
        assertTrue(Files.isExecutable(BUSYBOX), "no " + BUSYBOX + ": install busybox-static (.ci/setup does), the tools image's busybox");
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("report.json"), "{\"report\":1}");
        Files.write(out.resolve("ticker-0.2.0.tar.gz"), new byte[70_000]);
        // what a hostile build could leave next to its output: a config that denies everyone, a CGI of its own
        Files.writeString(out.resolve("httpd.conf"), "D:*\n");
        Path cgi = Files.createDirectories(out.resolve("cgi-bin"));
        Files.writeString(cgi.resolve("done"), "#!/bin/sh\necho hijacked\n");
        Files.writeString(out.resolve("secret.txt"), "not served");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String script = BuildJob.serveScript("ticker", "0.2.0", 30)
                .replace("/busybox", BUSYBOX.toString())
                .replace(BuildJob.SERVE_DIR, dir.resolve("serve").toString())
                .replace(BuildJob.FETCHED, dir.resolve("fetched").toString())
                .replace(BuildJob.OUT, out.toString())
                .replace("-p " + BuildJob.SERVE_PORT, "-p 127.0.0.1:" + port)
                .replace("/dev/termination-log", dir.resolve("termination-log").toString());
        Process p = new ProcessBuilder(BUSYBOX.toString(), "sh", "-c", script).redirectErrorStream(true).start();
        try {
            NodeRoutes local = (host, x) -> new NodeRoutes.Route(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    () -> { });
            OutputPull pull = new OutputPull(local, "127.0.0.1", "the test's server",
                    new OutputPull.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)));
            OutputPull.Result report = null;
            for (int i = 0; i < 50 && report == null; i++) {
                try {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    report = pull.get("/report.json", b, 100);
                    assertThat(b.toString(StandardCharsets.UTF_8)).isEqualTo("{\"report\":1}");
                } catch (BuildOutputUnreachable e) {
                    Thread.sleep(100); // httpd not listening yet
                }
            }
            assertThat(report).isNotNull();
            assertThat(report.found()).isTrue();
            ByteArrayOutputStream pkg = new ByteArrayOutputStream();
            assertThat(pull.get("/ticker-0.2.0.tar.gz", pkg, 1 << 20).bytes()).isEqualTo(70_000);
            assertThat(pkg.size()).isEqualTo(70_000);
            assertThat(pull.get("/rehearsal.json", OutputStream.nullOutputStream(), 100).found()).as("not built: 404").isFalse();
            assertThat(pull.get("/secret.txt", OutputStream.nullOutputStream(), 100).found()).isFalse();
            assertThat(pull.get("/cgi-bin/../secret.txt", OutputStream.nullOutputStream(), 100).found()).isFalse();
            assertThat(p.isAlive()).isTrue();
            ByteArrayOutputStream done = new ByteArrayOutputStream();
            assertThat(pull.get(BuildJob.DONE_PATH, done, 100).found()).isTrue();
            assertThat(done.toString(StandardCharsets.UTF_8)).isEqualTo("done\n");
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("stops after done").isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .contains("package fetched by the operator");
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        try (var s = new java.net.Socket()) {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> s.connect(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000))).as("httpd stopped too").isNotNull();
        }
    }
}
