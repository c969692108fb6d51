package dev.relup.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a build Job hands over comes from the user's images: refused unless it is what the move asked for. */
class BuildOutputRefusalTest {

    @TempDir
    Path root;

    private static final ExpectedBuild MOVE = new ExpectedBuild("ticker", "0.1.0", "0.2.0");

    private Path cacheDir() {
        return root.resolve("cache");
    }

    private Path fetched(String content) throws IOException {
        return Files.writeString(root.resolve("fetched.part"), content);
    }

    private static String report(String release, String from, String to, String pkg, String sha, long size) {
        return """
                {"release":"%s","from":"%s","to":"%s","package":"%s","sha256":"%s","size":%d,"hot":true,"reasons":[]}"""
                .formatted(release, from, to, pkg, sha, size);
    }

    private static String report(String release, String from, String to, Path pkg) throws IOException {
        return report(release, from, to, BuildJob.OUT + "/" + release + "-" + to + ".tar.gz", PackageCache.sha256(pkg),
                Files.size(pkg));
    }

    /** Every file under {@link #root} except the fetched input. */
    private List<Path> written() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("fetched.part")).toList();
        }
    }

    private BuildOutputRefused refused(PackageCache cache, ExpectedBuild expected, String reportJson, Path pkg) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> cache.store("ns", "job", expected, reportJson, pkg));
        assertThat(t).isInstanceOf(BuildOutputRefused.class);
        return (BuildOutputRefused) t;
    }

    @Test
    void appupFromIsKeptAndBounded() throws IOException {
        Path pkg = fetched("package");
        PackageCache cache = new PackageCache(cacheDir(), 2);
        String ok = report("ticker", "0.1.0", "0.2.0", pkg).replace("}", ",\"appup_from\":{\"ticker\":[\"0.1.5\"]}}");
        assertThat(cache.store("ns", "job", MOVE, ok, pkg).appupFrom()).containsEntry("ticker", List.of("0.1.5"));
        assertThat(cache.find("ns", "job").orElseThrow().appupFrom()).containsEntry("ticker", List.of("0.1.5"));

        Path again = fetched("package");
        String notAnApp = report("ticker", "0.1.0", "0.2.0", again).replace("}", ",\"appup_from\":{\"../x\":[\"0.1.5\"]}}");
        assertThat(refused(cache, MOVE, notAnApp, again).getMessage()).contains("not an application name");
        String huge = report("ticker", "0.1.0", "0.2.0", again).replace("}", ",\"appup_from\":{\"ticker\":[\""
                + "9".repeat(300) + "\"]}}");
        assertThat(refused(cache, MOVE, huge, again).getMessage()).contains("longer than 255 characters");
    }

    @Test
    void aReportOfTheMoveIsStored() throws IOException {
        Path pkg = fetched("package");
        PackageCache cache = new PackageCache(cacheDir(), 2);
        cache.store("ns", "job", MOVE, report("ticker", "0.1.0", "0.2.0", pkg), pkg);
        assertThat(cache.find("ns", "job")).isPresent();
        assertThat(written()).allMatch(p -> p.startsWith(cacheDir()));
    }

    @Test
    void aReportNamingAnotherReleaseIsRefusedAndNothingIsWritten() throws IOException {
        Path pkg = fetched("package");
        BuildOutputRefused e = refused(new PackageCache(cacheDir(), 2), MOVE, report("other", "0.1.0", "0.2.0", pkg), pkg);
        assertThat(e).hasMessageContaining("names release 'other', the move is of release 'ticker'");
        assertThat(e.kind()).isEqualTo(BuildOutputRefused.Kind.REFUSED);
        assertThat(written()).isEmpty();
    }

    @Test
    void aReportOfOtherVersionsIsAVersionMismatch() throws IOException {
        Path pkg = fetched("package");
        BuildOutputRefused e = refused(new PackageCache(cacheDir(), 2), MOVE, report("ticker", "0.1.0", "0.3.0", pkg), pkg);
        assertThat(e).hasMessageContaining("is for 0.1.0 -> 0.3.0, the move asked 0.1.0 -> 0.2.0");
        assertThat(e.kind()).isEqualTo(BuildOutputRefused.Kind.VERSION_MISMATCH);
        assertThat(written()).isEmpty();
    }

    @Test
    void aDotDotPathIsRefusedEvenWhenTheMoveSaysTheSame() throws IOException {
        Path pkg = fetched("package");
        ExpectedBuild crafted = new ExpectedBuild("ticker", "0.1.0", "../../../escaped");
        BuildOutputRefused e = refused(new PackageCache(cacheDir(), 2), crafted,
                report("ticker", "0.1.0", "../../../escaped", pkg), pkg);
        assertThat(e).hasMessageContaining("version '../../../escaped' cannot name a file in the package cache");
        assertThat(written()).isEmpty();
        assertThat(root.getParent().resolve("escaped.tar.gz")).doesNotExist();
    }

    @Test
    void aVersionWithASlashIsRefused() throws IOException {
        Path pkg = fetched("package");
        ExpectedBuild crafted = new ExpectedBuild("ticker", "0.1.0", "0.2.0/x");
        BuildOutputRefused e = refused(new PackageCache(cacheDir(), 2), crafted, report("ticker", "0.1.0", "0.2.0/x", pkg), pkg);
        assertThat(e).hasMessageContaining("version '0.2.0/x' cannot name a file");
        assertThat(written()).isEmpty();
    }

    @Test
    void aPackagePathOtherThanTheBuildersIsRefused() throws IOException {
        Path pkg = fetched("package");
        String r = report("ticker", "0.1.0", "0.2.0", "/var/run/secrets/kubernetes.io/serviceaccount/token",
                PackageCache.sha256(pkg), 7);
        assertThat(refused(new PackageCache(cacheDir(), 2), MOVE, r, pkg))
                .hasMessageContaining("names package /var/run/secrets/kubernetes.io/serviceaccount/token, the builder writes "
                        + "/work/out/ticker-0.2.0.tar.gz");
        assertThat(written()).isEmpty();
    }

    @Test
    void anOversizedReportIsRefused() throws IOException {
        Path pkg = fetched("package");
        PackageCache cache = new PackageCache(cacheDir(), 2, new BuildOutputLimits(100, 1000));
        String big = report("ticker", "0.1.0", "0.2.0", pkg).replace("\"reasons\":[]",
                "\"reasons\":[\"" + "x".repeat(200) + "\"]");
        assertThat(refused(cache, MOVE, big, pkg)).hasMessageContaining("is larger than 100 bytes (relup.build.max-report-bytes)");
        assertThat(written()).isEmpty();
    }

    @Test
    void anOversizedPackageIsRefusedWhateverTheReportSays() throws IOException {
        Path pkg = fetched("x".repeat(1001));
        PackageCache cache = new PackageCache(cacheDir(), 2, new BuildOutputLimits(1000, 1000));
        String lying = report("ticker", "0.1.0", "0.2.0", BuildJob.OUT + "/ticker-0.2.0.tar.gz", PackageCache.sha256(pkg), 10);
        assertThat(refused(cache, MOVE, lying, pkg)).hasMessageContaining("has 1001 bytes, more than the 1000 allowed");
        String honest = report("ticker", "0.1.0", "0.2.0", pkg);
        assertThat(refused(cache, MOVE, honest, pkg)).hasMessageContaining("more than the 1000 allowed");
        assertThat(written()).isEmpty();
    }

    @Test
    void theCopyOutOfThePodKeepsNoMoreThanTheLimit() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CappedSink sink = new CappedSink(out, 10);
        sink.write("12345".getBytes());
        assertThat(sink.overflowed()).isFalse();
        sink.write("67890".getBytes());
        assertThat(sink.overflowed()).isFalse();
        sink.write('!');
        assertThat(sink.overflowed()).isTrue();
        assertThat(out.toString()).isEqualTo("1234567890");
    }

    @Test
    void aCacheEntryWhoseReportNamesAPathOutsideIsNotFound() throws IOException {
        PackageCache cache = new PackageCache(cacheDir(), 2);
        Path dir = Files.createDirectories(cache.dir("ns", "job"));
        Files.writeString(root.resolve("evil-x.tar.gz"), "outside");
        Files.writeString(dir.resolve("report.json"), report("../../../evil", "0.1.0", "x", "/work/out/p", "0".repeat(64), 1));
        assertThat(cache.find("ns", "job")).isEmpty();
    }
}
