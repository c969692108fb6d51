package dev.relup.operator.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageCacheTest {

    @TempDir
    Path root;

    /** Stores a fake package for job {@code job} (to-version {@code to}) and backdates it by {@code ageSeconds}. */
    private void store(PackageCache cache, String ns, String job, String to, long ageSeconds) throws IOException {
        Path pkg = Files.writeString(root.resolve("fetched-" + job), "package " + job);
        String report = """
                {"release":"ticker","from":"0.1.0","to":"%s","package":"/work/out/ticker-%s.tar.gz","sha256":"%s",
                 "size":1,"hot":true,"reasons":[],"changed_apps":["ticker"],"changed_modules":[],"erts_from":"13.1.5",
                 "erts_to":"13.1.5"}""".formatted(to, to, PackageCache.sha256(pkg));
        cache.store(ns, job, new ExpectedBuild("ticker", "0.1.0", to), report, pkg);
        FileTime t = FileTime.fromMillis(System.currentTimeMillis() - ageSeconds * 1000);
        Files.setLastModifiedTime(cache.dir(ns, job).resolve("report.json"), t);
    }

    @Test
    void storedPackagesAreFoundWithoutHashingThemOnEveryPass() throws IOException {
        PackageCache cache = new PackageCache(root.resolve("cache"), 3);
        store(cache, "ns", "job-a", "0.2.0", 0);
        assertTrue(cache.find("ns", "job-a").isPresent());
        Files.delete(cache.dir("ns", "job-a").resolve("ticker-0.2.0.tar.gz"));
        assertFalse(cache.find("ns", "job-a").isPresent(), "a lost package is absent (and rebuilt)");
    }

    @Test
    void storingPrunesTheReleasesOwnPackagesToTheNewestEntries() throws IOException {
        PackageCache cache = new PackageCache(root.resolve("cache"), 2);
        store(cache, "ns", "tick-relup-old", "0.2.0", 300);
        store(cache, "ns", "tick-relup-mid", "0.3.0", 200);
        store(cache, "other", "tick-relup-elsewhere", "0.2.0", 400);
        store(cache, "ns", "tick-relup-new", "0.4.0", 0);

        assertFalse(Files.exists(cache.dir("ns", "tick-relup-old")), "the oldest entry beyond keep=2 is deleted");
        assertTrue(cache.find("ns", "tick-relup-mid").isPresent());
        assertTrue(cache.find("ns", "tick-relup-new").isPresent());
        assertTrue(cache.find("other", "tick-relup-elsewhere").isPresent(), "other namespaces are not pruned");
    }

    /** 25 releases of one namespace moving at once: none loses its package to the others' (it did, per namespace). */
    @Test
    void otherReleasesOfTheNamespaceNeverPruneAReleasesPackage() throws IOException {
        PackageCache cache = new PackageCache(root.resolve("cache"), 1);
        for (int i = 0; i < 25; i++) {
            store(cache, "ns", "fp-" + i + "-relup-6cf8ce8ab0", "0.2.0", 100 - i);
        }
        for (int i = 0; i < 25; i++) {
            assertTrue(cache.find("ns", "fp-" + i + "-relup-6cf8ce8ab0").isPresent(), "fp-" + i + "'s package");
        }
    }

    @Test
    void thePackageJustStoredIsKeptEvenWhenItsReportLooksOlder() throws IOException {
        PackageCache cache = new PackageCache(root.resolve("cache"), 1);
        store(cache, "ns", "tick-relup-a", "0.2.0", 0);
        store(cache, "ns", "tick-relup-b", "0.3.0", 0);
        assertFalse(Files.exists(cache.dir("ns", "tick-relup-a")));
        assertTrue(cache.find("ns", "tick-relup-b").isPresent());
        assertEquals(1, root.resolve("cache/ns").toFile().list().length);
    }

    @Test
    void theRehearsalIsKeptBesideTheReportAndFoundAfterARestart() throws IOException {
        PackageCache cache = new PackageCache(root.resolve("cache"), 3);
        Path pkg = Files.writeString(root.resolve("fetched"), "package");
        String rehearsal = new String(getClass().getResourceAsStream("/rehearsal/install-crash.json").readAllBytes());
        cache.store("ns", "job-r", new ExpectedBuild("ticker", "0.1.0", "0.9.0", true), report("0.9.0", pkg), rehearsal, pkg);
        assertTrue(Files.isRegularFile(cache.dir("ns", "job-r").resolve("rehearsal.json")));
        var found = new PackageCache(root.resolve("cache"), 3).find("ns", "job-r").orElseThrow().rehearsed().orElseThrow();
        assertEquals("install", found.failedStep());
        assertTrue(found.crash().contains("broken_on_purpose"));
    }

    @Test
    void aRehearsalOfAnotherMoveOrNotOneAtAllIsRefusedAndNothingKept() throws IOException {
        PackageCache cache = new PackageCache(root.resolve("cache"), 3);
        Path pkg = Files.writeString(root.resolve("fetched"), "package");
        String other = new String(getClass().getResourceAsStream("/rehearsal/passed.json").readAllBytes()); // 0.1.0 -> 0.2.0
        ExpectedBuild expected = new ExpectedBuild("ticker", "0.1.0", "0.9.0", true);
        BuildOutputRefused e = assertThrows(BuildOutputRefused.class,
                () -> cache.store("ns", "job-r", expected, report("0.9.0", pkg), other, pkg));
        assertTrue(e.getMessage().contains("0.1.0 -> 0.2.0"), e.getMessage());
        assertThrows(BuildOutputRefused.class, () -> cache.store("ns", "job-r", expected, report("0.9.0", pkg), "{}", pkg));
        assertFalse(cache.find("ns", "job-r").isPresent());
    }

    @Test
    void anUnreadableRehearsalMakesTheEntryAbsentSoItIsRebuilt() throws IOException {
        PackageCache cache = new PackageCache(root.resolve("cache"), 3);
        store(cache, "ns", "job-a", "0.2.0", 0);
        Files.writeString(cache.dir("ns", "job-a").resolve("rehearsal.json"), "{\"rehearsal\": truncated");
        assertFalse(cache.find("ns", "job-a").isPresent());
    }

    private static String report(String to, Path pkg) throws IOException {
        return """
                {"release":"ticker","from":"0.1.0","to":"%s","package":"/work/out/ticker-%s.tar.gz","sha256":"%s",
                 "size":1,"hot":true,"reasons":[],"changed_apps":["ticker"],"changed_modules":[],"erts_from":"13.1.5",
                 "erts_to":"13.1.5"}""".formatted(to, to, PackageCache.sha256(pkg));
    }

    @Test
    void keepMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new PackageCache(root, 0));
    }
}
