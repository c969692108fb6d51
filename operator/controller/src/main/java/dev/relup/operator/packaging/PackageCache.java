package dev.relup.operator.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import dev.relup.engine.build.BuildReport;
import dev.relup.operator.observe.CachedPackage;

/**
 * Relup packages fetched from build Jobs, kept on the operator's disk under {@code <dir>/<namespace>/<job>/}:
 * {@code report.json} and {@code <release>-<to>.tar.gz}. A package counts only while its sha256 matches the
 * report; a lost or corrupt one is simply absent, and the decision rebuilds it. That is also why the cache can be
 * bounded: storing a package prunes the namespace down to the {@code keep} most recently stored ones.
 */
public final class PackageCache {

    private static final Logger LOG = Logger.getLogger(PackageCache.class);
    private final Path root;
    private final int keep;

    public PackageCache(Path root, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("a package cache must keep at least the package just stored");
        }
        this.root = root;
        this.keep = keep;
    }

    public Path dir(String namespace, String job) {
        return root.resolve(namespace).resolve(job);
    }

    public Optional<CachedPackage> find(String namespace, String job) {
        Path dir = dir(namespace, job);
        Path reportFile = dir.resolve("report.json");
        if (!Files.isRegularFile(reportFile)) {
            return Optional.empty();
        }
        try {
            BuildReport r = BuildReport.parse(Files.readString(reportFile));
            Path pkg = dir.resolve(packageFileName(r));
            if (!Files.isRegularFile(pkg) || !sha256(pkg).equals(r.sha256())) {
                return Optional.empty();
            }
            return Optional.of(new CachedPackage(pkg, r.sha256(), r.release(), r.from(), r.to(), r.hot(), r.reasons(), r.size(), r.plan()));
        } catch (IOException e) {
            LOG.warnf("package cache entry %s unreadable (%s); it will be rebuilt", dir, e.getMessage());
            return Optional.empty();
        }
    }

    /** Stores a fetched package after checking its sha256 against the report. */
    public CachedPackage store(String namespace, String job, String reportJson, Path fetchedPackage) throws IOException {
        BuildReport r = BuildReport.parse(reportJson);
        String sha = sha256(fetchedPackage);
        if (r.sha256() == null || !r.sha256().equalsIgnoreCase(sha)) {
            throw new IOException("the package copied out of Job " + job + " has sha256 " + sha + " but the build reported "
                    + r.sha256());
        }
        Path dir = dir(namespace, job);
        Files.createDirectories(dir);
        Path pkg = dir.resolve(packageFileName(r));
        Files.move(fetchedPackage, pkg, StandardCopyOption.REPLACE_EXISTING);
        Path tmpReport = dir.resolve("report.json.tmp");
        Files.writeString(tmpReport, reportJson.strip());
        Files.move(tmpReport, dir.resolve("report.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        prune(namespace, job);
        return new CachedPackage(pkg, sha, r.release(), r.from(), r.to(), r.hot(), r.reasons(), r.size(), r.plan());
    }

    /** Deletes all but the {@code keep} newest entries of the namespace (by report time); {@code current} stays. */
    private void prune(String namespace, String current) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(root.resolve(namespace))) {
            entries = s.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().equals(current))
                    .sorted(Comparator.comparing(PackageCache::storedAt).reversed()).toList();
        }
        for (Path old : entries.subList(Math.min(keep - 1, entries.size()), entries.size())) {
            LOG.infof("package cache: dropping %s (keeping the %d newest of namespace %s)", old.getFileName(), keep, namespace);
            deleteTree(old);
        }
    }

    private static FileTime storedAt(Path entry) {
        try {
            return Files.getLastModifiedTime(entry.resolve("report.json"));
        } catch (IOException e) {
            return FileTime.fromMillis(0); // an entry without a report is the first to go
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    public Path tempFile(String namespace, String job) throws IOException {
        Path dir = dir(namespace, job);
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "fetch", ".part");
    }

    static String packageFileName(BuildReport r) {
        return r.release() + "-" + r.to() + ".tar.gz";
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
