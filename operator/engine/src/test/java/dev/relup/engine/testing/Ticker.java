package dev.relup.engine.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.relup.engine.build.BuildException;
import dev.relup.engine.build.BuildReport;
import dev.relup.engine.build.PurgeOptions;
import dev.relup.engine.build.RelupBuilder;
import dev.relup.engine.handler.FailureException;
import dev.relup.engine.handler.ReleasePackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The ticker sample releases, built by samples/ticker/build-all (wired into the engine's generate-test-resources
 * phase) into ${RELUP_CACHE:-~/.cache/relup-operator}/ticker. Missing releases fail the test, never skip it.
 */
public final class Ticker {

    private Ticker() {
    }

    public static Path cache() {
        String env = System.getenv("RELUP_CACHE");
        Path base = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "relup-operator");
        return base.resolve("ticker");
    }

    public static Path repo() {
        String prop = System.getProperty("relup.repo");
        Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        for (Path q = p.toAbsolutePath().normalize(); q != null; q = q.getParent()) {
            if (Files.isRegularFile(q.resolve("relupctl"))) {
                return q;
            }
        }
        return fail("cannot find the repository root (no relupctl above " + p + ")");
    }

    /** The unpacked release root of a ticker version. */
    public static Path unpacked(String vsn) {
        Path root = cache().resolve("unpacked").resolve(vsn);
        if (!Files.isRegularFile(root.resolve("releases").resolve(vsn).resolve("ticker.rel"))) {
            fail("ticker " + vsn + " is not built at " + root + ": run samples/ticker/build-all "
                    + "(mvn verify does it) with Erlang/OTP and rebar3 installed");
        }
        return root;
    }

    /** Builds the upgrade package between two unpacked roots with the real builder escript (soft purge). */
    public static BuildReport build(Path fromRoot, Path toRoot, Path outDir) {
        return build(fromRoot, toRoot, outDir, PurgeOptions.defaults());
    }

    public static BuildReport build(Path fromRoot, Path toRoot, Path outDir, PurgeOptions purge) {
        try {
            return new RelupBuilder(repo().resolve("operator/builder/relup_builder"))
                    .build(fromRoot, toRoot, outDir, purge, Duration.ofMinutes(2));
        } catch (BuildException e) {
            return fail("relup builder failed: " + e.getMessage(), e);
        }
    }

    public static ReleasePackage packageFor(String from, String to, Path outDir) {
        return packageFor(from, to, outDir, PurgeOptions.defaults());
    }

    public static ReleasePackage packageFor(String from, String to, Path outDir, PurgeOptions purge) {
        String options = String.join("_", purge.args()).replaceAll("[^A-Za-z0-9_=.-]", "");
        BuildReport report = build(unpacked(from), unpacked(to),
                outDir.resolve(from + "-" + to + (options.isEmpty() ? "" : "-" + options)), purge);
        try {
            return ReleasePackage.read(Path.of(report.packagePath()));
        } catch (FailureException e) {
            return fail(e.getMessage(), e);
        }
    }
}
