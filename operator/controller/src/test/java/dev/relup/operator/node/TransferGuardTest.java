package dev.relup.operator.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.relup.engine.handler.ReleasePackage;
import dev.relup.operator.packaging.PackageCache;

/** A package changed on the operator's disk after it was fetched is refused before any byte goes to a node. */
class TransferGuardTest {

    @TempDir
    Path dir;

    private record Fetched(PackageFile file, ReleasePackage parsed) {}

    /** A package as fetched: its sha256 recorded (status.move.packageSha256) and parsed as the node layer keeps it. */
    private Fetched fetched() throws IOException {
        Path f = Files.writeString(dir.resolve("ticker-0.2.0.tar.gz"), "the package as built");
        String sha = PackageCache.sha256(f);
        return new Fetched(new PackageFile(f, sha), new ReleasePackage(f, "ticker", "0.2.0", Files.size(f), sha, "md5",
                Optional.empty()));
    }

    @Test
    void theFetchedPackagePasses() throws IOException {
        Fetched p = fetched();
        assertThatCode(() -> TransferGuard.verify("t-0", p.file(), p.parsed())).doesNotThrowAnyException();
        assertThat(p.file().file()).exists();
    }

    @Test
    void aPackageSwappedWithTheSameSizeAndTimeIsRefusedBeforeTransfer() throws IOException {
        Fetched p = fetched();
        Path f = p.file().file();
        FileTime t = Files.getLastModifiedTime(f);
        Files.writeString(f, "THE PACKAGE AS BUILT"); // same size
        Files.setLastModifiedTime(f, t);             // same time: the parsed package would be kept
        assertThatThrownBy(() -> TransferGuard.verify("t-0", p.file(), p.parsed()))
                .isInstanceOf(NodeFailure.class)
                .hasMessageContaining("t-0: the package ticker-0.2.0.tar.gz changed since it was fetched")
                .hasMessageContaining("refused before transfer")
                .satisfies(e -> assertThat(((NodeFailure) e).kind()).isEqualTo(NodeFailure.Kind.PACKAGE_FAILED));
        assertThat(f).as("dropped, so that a retry rebuilds it").doesNotExist();
    }

    @Test
    void aPackageParsedAfterItChangedIsRefused() throws IOException {
        Fetched p = fetched();
        Files.writeString(p.file().file(), "another package");
        ReleasePackage reparsed = new ReleasePackage(p.file().file(), "ticker", "0.2.0", 15,
                PackageCache.sha256(p.file().file()), "md5", Optional.empty());
        assertThatThrownBy(() -> TransferGuard.verify("t-0", p.file(), reparsed))
                .hasMessageContaining("recorded " + p.file().sha256());
    }
}
