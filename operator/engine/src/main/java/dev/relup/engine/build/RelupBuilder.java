package dev.relup.engine.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the relup builder escript ({@code operator/builder/relup_builder}) under the TO release's own ERTS,
 * so the appups and relup are made by exactly the OTP the node will run.
 *
 * <p>The escript ships inside the engine jar (resource {@code relup-builder/relup_builder}); a path in
 * {@code -Drelup.builder} or {@code $RELUP_BUILDER} takes precedence (useful while editing the builder).
 */
public final class RelupBuilder {

    static final String RESOURCE = "/relup-builder/relup_builder";

    private final Path escript;

    public RelupBuilder(Path escript) {
        this.escript = escript;
    }

    /** The builder from -Drelup.builder, $RELUP_BUILDER, or the copy inside this jar. */
    public static RelupBuilder locate() throws BuildException {
        String configured = Optional.ofNullable(System.getProperty("relup.builder"))
                .orElse(System.getenv("RELUP_BUILDER"));
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (!Files.isRegularFile(p)) {
                throw new BuildException("relup builder not found at " + p);
            }
            return new RelupBuilder(p);
        }
        try (InputStream in = RelupBuilder.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new BuildException("relup builder is not packaged in the engine jar (" + RESOURCE
                        + "); set RELUP_BUILDER to operator/builder/relup_builder");
            }
            Path copy = Files.createTempFile("relup_builder", ".escript");
            copy.toFile().deleteOnExit();
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return new RelupBuilder(copy);
        } catch (IOException e) {
            throw new BuildException("cannot extract the relup builder: " + e.getMessage(), e);
        }
    }

    /** {@code TO/erts-VSN/bin/escript}: the to-release's bundled ERTS. */
    public static Path escriptOf(Path toRoot) throws BuildException {
        try (Stream<Path> s = Files.list(toRoot)) {
            List<Path> erts = s.filter(p -> p.getFileName().toString().startsWith("erts-")).toList();
            if (erts.size() != 1) {
                throw new BuildException(toRoot + " holds " + erts.size() + " erts-* directories; a prod release "
                        + "with its ERTS bundled is needed");
            }
            Path escript = erts.get(0).resolve("bin/escript");
            if (!Files.isExecutable(escript)) {
                throw new BuildException(escript + " is missing or not executable");
            }
            return escript;
        } catch (IOException e) {
            throw new BuildException("cannot read " + toRoot + ": " + e.getMessage(), e);
        }
    }

    /**
     * Builds {@code OUT/<rel>-<to>.tar.gz} from two unpacked release roots.
     *
     * @param purge {@code soft} or {@code brutal} for generated instructions, or empty for the builder's default
     *              (soft)
     */
    public BuildReport build(Path fromRoot, Path toRoot, Path outDir, Optional<String> purge, Duration timeout)
            throws BuildException {
        return build(fromRoot, toRoot, outDir, PurgeOptions.mode(purge), timeout);
    }

    /** As {@link #build(Path, Path, Path, Optional, Duration)}, with per-module purge options. */
    public BuildReport build(Path fromRoot, Path toRoot, Path outDir, PurgeOptions purge, Duration timeout)
            throws BuildException {
        List<String> cmd = new ArrayList<>(List.of(escriptOf(toRoot).toString(), escript.toString(),
                "--from", fromRoot.toString(), "--to", toRoot.toString(), "--out", outDir.toString()));
        cmd.addAll(purge.args());
        try {
            Files.createDirectories(outDir);
            Process proc = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> slurp(proc.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> slurp(proc.getErrorStream()));
            if (!proc.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                proc.destroyForcibly();
                throw new BuildException("relup builder did not finish within " + timeout.toSeconds() + " s");
            }
            if (proc.exitValue() != 0) {
                String e = err.join().strip();
                throw new BuildException(e.isEmpty() ? "relup builder exited " + proc.exitValue() : lastLine(e));
            }
            return BuildReport.parse(out.join());
        } catch (IOException e) {
            throw new BuildException("relup builder: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted while building", e);
        }
    }

    private static String lastLine(String s) {
        String[] lines = s.split("\n");
        return lines[lines.length - 1].strip();
    }

    private static String slurp(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
