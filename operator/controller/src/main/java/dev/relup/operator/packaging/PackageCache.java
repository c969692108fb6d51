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
import dev.relup.engine.build.Rehearsal;
import dev.relup.operator.observe.CachedPackage;

/**
 * Relup packages fetched from build Jobs, kept on the operator's disk under {@code <dir>/<namespace>/<job>/}:
 * {@code report.json}, {@code <release>-<to>.tar.gz} and, when the Job rehearsed it, {@code rehearsal.json} (kept so
 * that an operator restarted mid-decision still knows the verdict). What a build Job hands over is untrusted (it ran the user's
 * images): its report is checked against the move ({@link ReportCheck}), its sizes are bounded
 * ({@link BuildOutputLimits}), and every path built from it must stay in the cache ({@link CachePath}).
 *
 * <p>A package is hashed when stored. {@link #find} does not hash it again: it runs on every pass (right after each step while
 * moving) and the file is megabytes; instead the sha256 recorded in {@code status.move.packageSha256} is checked once
 * right before each transfer to a node ({@code node.TransferGuard}), which is also the moment it matters. A lost
 * entry is simply absent and the decision rebuilds it; storing a package prunes the packages of the same
 * ErlangRelease down to the {@code keep} most recently stored ones. Per release, not per namespace: with 25
 * releases of one namespace moving at once and 8 kept per namespace, a release's package was pruned by the others'
 * between its fetch and its transfer, and its move failed ("is not a file").
 */
public final class PackageCache {

    private static final Logger LOG = Logger.getLogger(PackageCache.class);
    private final Path root;
    private final int keep;
    private final BuildOutputLimits limits;

    public PackageCache(Path root, int keep) {
        this(root, keep, BuildOutputLimits.DEFAULT);
    }

    public PackageCache(Path root, int keep, BuildOutputLimits limits) {
        if (keep < 1) {
            throw new IllegalArgumentException("a package cache must keep at least the package just stored");
        }
        this.root = root.toAbsolutePath().normalize();
        this.keep = keep;
        this.limits = limits;
    }

    public BuildOutputLimits limits() {
        return limits;
    }

    /** {@code <root>/<namespace>/<job>}; Kubernetes names, yet checked like any name that makes a path here. */
    public Path dir(String namespace, String job) throws BuildOutputRefused {
        return CachePath.inside(CachePath.inside(root, namespace, "namespace"), job, "Job name");
    }

    /**
     * The entry of {@code job}, if its report and package are there; not hashed here (see the class comment). Its
     * sha256 is the report's, which {@link #store} checked against the package.
     */
    public Optional<CachedPackage> find(String namespace, String job) {
        try {
            Path dir = dir(namespace, job);
            Path reportFile = dir.resolve("report.json");
            if (!Files.isRegularFile(reportFile) || Files.size(reportFile) > limits.maxReportBytes()) {
                return Optional.empty();
            }
            BuildReport r = BuildReport.parse(Files.readString(reportFile));
            Path pkg = CachePath.inside(dir, CachePath.packageFileName(r.release(), r.to()), "package");
            if (!Files.isRegularFile(pkg)) {
                return Optional.empty();
            }
            return Optional.of(new CachedPackage(pkg, r.sha256(), r.release(), r.from(), r.to(), r.hot(), r.reasons(), r.size(),
                    r.plan(), rehearsal(dir), r.appupFrom()));
        } catch (IOException e) {
            LOG.warnf("package cache entry %s/%s unreadable (%s); it will be rebuilt", namespace, job, e.getMessage());
            return Optional.empty();
        }
    }

    private Rehearsal rehearsal(Path dir) throws IOException {
        Path file = dir.resolve("rehearsal.json");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        if (Files.size(file) > limits.maxReportBytes()) {
            throw new IOException("rehearsal.json is larger than " + limits.maxReportBytes() + " bytes");
        }
        return Rehearsal.parse(Files.readString(file));
    }

    public CachedPackage store(String namespace, String job, ExpectedBuild expected, String reportJson,
            Path fetchedPackage) throws IOException {
        return store(namespace, job, expected, reportJson, null, fetchedPackage);
    }

    /**
     * Stores a fetched package after checking the report against the move, the sizes against the limits, and the
     * package's sha256 against the report. A refusal writes nothing into the cache.
     */
    public CachedPackage store(String namespace, String job, ExpectedBuild expected, String reportJson,
            String rehearsalJson, Path fetchedPackage) throws IOException {
        BuildReport r = ReportCheck.accept(job, reportJson, expected, limits);
        Rehearsal rehearsal = rehearsalJson == null ? null : ReportCheck.acceptRehearsal(job, rehearsalJson, expected, limits);
        long size = Files.size(fetchedPackage);
        if (size > limits.maxPackageBytes()) {
            throw ReportCheck.tooLargePackage(job, size + " bytes", limits);
        }
        Path dir = dir(namespace, job);
        Path pkg = CachePath.inside(dir, CachePath.packageFileName(r.release(), r.to()), "package");
        String sha = sha256(fetchedPackage);
        if (!r.sha256().equals(sha)) {
            // most likely a copy broken off: the next pass fetches again (the move's deadline bounds the retries)
            throw new IOException("the package copied out of Job " + job + " has sha256 " + sha + " but the build reported "
                    + r.sha256());
        }
        Files.createDirectories(dir);
        Files.move(fetchedPackage, pkg, StandardCopyOption.REPLACE_EXISTING);
        // the rehearsal first: the report makes the entry whole (find needs it)
        Path rehearsalFile = dir.resolve("rehearsal.json");
        if (rehearsalJson == null) {
            Files.deleteIfExists(rehearsalFile);
        } else {
            Path tmp = dir.resolve("rehearsal.json.tmp");
            Files.writeString(tmp, rehearsalJson.strip());
            Files.move(tmp, rehearsalFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Path tmpReport = dir.resolve("report.json.tmp");
        Files.writeString(tmpReport, reportJson.strip());
        Files.move(tmpReport, dir.resolve("report.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        prune(namespace, job);
        return new CachedPackage(pkg, sha, r.release(), r.from(), r.to(), r.hot(), r.reasons(), r.size(), r.plan(), rehearsal,
                r.appupFrom());
    }

    /**
     * Deletes all but the {@code keep} newest entries (by report time) of the release that built {@code current}
     * (entries are named after their build Job, {@code <release>-relup-<hash>}); {@code current} stays.
     */
    private void prune(String namespace, String current) throws IOException {
        String release = BuildNames.releaseOfJob(current);
        List<Path> entries;
        try (Stream<Path> s = Files.list(root.resolve(namespace))) {
            entries = s.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().equals(current))
                    .filter(d -> release.equals(BuildNames.releaseOfJob(d.getFileName().toString())))
                    .sorted(Comparator.comparing(PackageCache::storedAt).reversed()).toList();
        }
        for (Path old : entries.subList(Math.min(keep - 1, entries.size()), entries.size())) {
            LOG.infof("package cache: dropping %s (keeping the %d newest of %s/%s)", old.getFileName(), keep, namespace,
                    release);
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

    /** A file to copy a package into before {@link #store}; in the cache's root, so the move into place is a rename. */
    public Path tempFile(String namespace, String job) throws IOException {
        Files.createDirectories(root);
        return Files.createTempFile(root, "fetch-" + namespace + "-" + job, ".part");
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
