package dev.relup.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.relup.engine.node.NodeRoutes;
import dev.relup.operator.node.PodRoutes;
import dev.relup.operator.observe.CachedPackage;

/**
 * {@link BuildJobs#fetch}: report, rehearsal and package pulled with plain GETs from the Job's output server (here a
 * loopback server standing in for busybox httpd in the Job's pod), held against the move, bounded, sha256-checked
 * before anything is kept, and the server told to stop only after the package is in the cache.
 */
class BuildJobsFetchTest {

    private static final ExpectedBuild MOVE = new ExpectedBuild("ticker", "0.1.0", "0.2.0", true);
    private static final Instant STARTED = Instant.parse("2026-12-01T10:00:00Z");
    private static final OutputPull.Timeouts FAST = new OutputPull.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(1));

    @TempDir
    Path root;
    FakeOutputServer server;
    byte[] pkg = "the relup package 0.1.0 -> 0.2.0".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void serve() throws IOException {
        server = new FakeOutputServer();
        server.files.put("/report.json", report(sha(pkg), pkg.length).getBytes(StandardCharsets.UTF_8));
        server.files.put("/rehearsal.json", rehearsal().getBytes(StandardCharsets.UTF_8));
        server.files.put("/ticker-0.2.0.tar.gz", pkg);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String report(String sha, long size) {
        return """
                {"release":"ticker","from":"0.1.0","to":"0.2.0","package":"/work/out/ticker-0.2.0.tar.gz","sha256":"%s",\
                "size":%d,"hot":true,"reasons":[]}""".formatted(sha, size);
    }

    static String rehearsal() throws IOException {
        try (InputStream in = BuildJobsFetchTest.class.getResourceAsStream("/rehearsal/passed.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String sha(byte[] bytes) throws IOException {
        Path f = Files.write(Files.createTempFile(root, "sha", ".bin"), bytes);
        try {
            return PackageCache.sha256(f);
        } finally {
            Files.delete(f);
        }
    }

    private PackageCache cache(BuildOutputLimits limits) {
        return new PackageCache(root.resolve("cache"), 4, limits);
    }

    private CachedPackage fetch(PackageCache cache, PodRoutes routes, Instant now) throws IOException {
        return new BuildJobs(null, cache, routes, FAST).fetch("ns", "tick-relup-x", "tick-relup-x-abcde", "10.0.0.9",
                STARTED, MOVE, now);
    }

    private List<Path> cached() throws IOException {
        Path dir = root.resolve("cache");
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void reportRehearsalAndPackageArePulledFromThePodsServerVerifiedStoredAndOnlyThenTheServerIsToldDone() throws IOException {
        CachedPackage c = fetch(cache(BuildOutputLimits.DEFAULT), server.routes(), STARTED.plusSeconds(1));
        assertThat(c.sha256()).isEqualTo(sha(pkg));
        assertThat(Files.readAllBytes(c.file())).isEqualTo(pkg);
        assertThat(c.rehearsed()).hasValueSatisfying(r -> assertThat(r.passed()).isTrue());
        assertThat(server.requests).containsExactly("/report.json", "/rehearsal.json", "/ticker-0.2.0.tar.gz",
                BuildJob.DONE_PATH);
        assertThat(server.dialed).as("the pod's IP and the server's port, over the route to that pod")
                .allMatch(d -> d.equals("ns/tick-relup-x-abcde 10.0.0.9:" + BuildJob.SERVE_PORT));
    }

    @Test
    void aPackageWhoseSha256IsNotTheReportsIsNotKeptAndTheServerKeepsServing() throws IOException {
        server.files.put("/ticker-0.2.0.tar.gz", "another package of the same length!".substring(0, pkg.length).getBytes());
        assertThatThrownBy(() -> fetch(cache(BuildOutputLimits.DEFAULT), server.routes(), STARTED.plusSeconds(1)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("has sha256").hasMessageContaining("but the build reported " + sha(pkg));
        assertThat(cached()).isEmpty();
        assertThat(server.requests).doesNotContain(BuildJob.DONE_PATH);
        assertThat(Files.list(root.resolve("cache")).toList()).as("no partial file left").isEmpty();
    }

    @Test
    void aReportOverTheCapIsRefusedAndNothingElseIsAsked() throws IOException {
        server.files.put("/report.json", (report(sha(pkg), pkg.length) + " ".repeat(1000)).getBytes());
        assertThatThrownBy(() -> fetch(cache(new BuildOutputLimits(1000, 1000)), server.routes(), STARTED))
                .isInstanceOf(BuildOutputRefused.class).hasMessageContaining("larger than 1000 bytes");
        assertThat(server.requests).containsExactly("/report.json");
    }

    @Test
    void aPackageOverTheCapIsRefusedAndNothingIsKept() throws IOException {
        byte[] big = new byte[5000];
        server.files.put("/ticker-0.2.0.tar.gz", big);
        // the report lies about the size (the server's Content-Length does not)
        server.files.put("/report.json", report(sha(big), 10).getBytes());
        assertThatThrownBy(() -> fetch(cache(new BuildOutputLimits(1 << 20, 4096)), server.routes(), STARTED))
                .isInstanceOf(BuildOutputRefused.class)
                .hasMessageContaining("has more than 4096 bytes, more than the 4096 allowed (relup.build.max-package-bytes)");
        assertThat(cached()).isEmpty();
    }

    @Test
    void aReportOfAnotherReleaseIsRefusedBeforeAnyPackageIsAsked() throws IOException {
        server.files.put("/report.json", report(sha(pkg), pkg.length).replace("\"ticker\"", "\"other\"")
                .replace("ticker-0.2.0", "other-0.2.0").getBytes());
        assertThatThrownBy(() -> fetch(cache(BuildOutputLimits.DEFAULT), server.routes(), STARTED))
                .isInstanceOf(BuildOutputRefused.class).hasMessageContaining("names release 'other'");
        assertThat(server.requests).containsExactly("/report.json");
    }

    @Test
    void aHotPackageWithoutItsRehearsalOrAReportedPackageNotServedIsRefused() throws IOException {
        server.files.remove("/rehearsal.json");
        assertThatThrownBy(() -> fetch(cache(BuildOutputLimits.DEFAULT), server.routes(), STARTED))
                .isInstanceOf(BuildOutputRefused.class).hasMessageContaining("left no /work/out/rehearsal.json");
        server.files.put("/rehearsal.json", rehearsal().getBytes());
        server.files.remove("/ticker-0.2.0.tar.gz");
        assertThatThrownBy(() -> fetch(cache(BuildOutputLimits.DEFAULT), server.routes(), STARTED))
                .isInstanceOf(BuildOutputRefused.class).hasMessageContaining("serves no such file");
        assertThat(cached()).isEmpty();
    }

    private static PodRoutes toClosedPort() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        return (ns, pod) -> (host, port) -> new NodeRoutes.Route(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), closed), () -> { });
    }

    @Test
    void aServerNotReachableRightAfterItStartedIsWaitedForThenIsTheBuildsFailureWithWhatToCheck() throws IOException {
        PodRoutes closed = toClosedPort();
        assertThatThrownBy(() -> fetch(cache(BuildOutputLimits.DEFAULT), closed, STARTED.plusSeconds(2)))
                .isInstanceOf(BuildOutputUnreachable.class)
                .hasMessageStartingWith("cannot connect to the build output server of Job tick-relup-x"
                        + " (pod tick-relup-x-abcde, 10.0.0.9:8080)");
        assertThatThrownBy(() -> fetch(cache(BuildOutputLimits.DEFAULT), closed, STARTED.plus(BuildJobs.UNREACHABLE_AFTER)))
                .isInstanceOf(BuildOutputRefused.class)
                .hasMessageStartingWith("cannot connect to the build output server of Job tick-relup-x"
                        + " (pod tick-relup-x-abcde, 10.0.0.9:8080)")
                .hasMessageContaining("refused")
                .hasMessageEndingWith(", 60 s after it started: the operator must reach the build Job's pods on TCP port 8080"
                        + " (a NetworkPolicy in the way? with relup.nodes.reach=port-forward, create pods/portforward)");
        assertThat(cached()).isEmpty();
    }

    @Test
    void aPodWithoutAnIpYetIsNotReachableYet() {
        assertThatThrownBy(() -> new BuildJobs(null, cache(BuildOutputLimits.DEFAULT), server.routes(), FAST)
                .fetch("ns", "j", "p", null, STARTED, MOVE, STARTED))
                .isInstanceOf(BuildOutputUnreachable.class).hasMessage("the pod p of Job j has no IP yet");
        assertThat(server.requests).isEmpty();
    }
}
