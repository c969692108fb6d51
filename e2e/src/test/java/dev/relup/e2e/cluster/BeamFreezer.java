package dev.relup.e2e.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Freezes the BEAM of one Erlang node (SIGSTOP, as a stalled VM or a long stop-the-world pause would) and thaws it
 * (SIGCONT) on {@link #close()}, so a failing test never leaves a node frozen. It sends the signals from the host:
 * that works on the local cluster, whose containers live in the host's PID namespace; the BEAM is its container's
 * PID 1, which ignores SIGSTOP sent from inside the container.
 */
public final class BeamFreezer implements AutoCloseable {

    private final String node;
    private final long pid;
    private boolean frozen;

    private BeamFreezer(String node, long pid) {
        this.node = node;
        this.pid = pid;
    }

    /** The BEAM started with {@code -name node} (e.g. {@code ticker@10.244.0.7}), frozen now. */
    public static BeamFreezer freeze(String node) throws IOException, InterruptedException {
        BeamFreezer f = new BeamFreezer(node, beamPid(node));
        f.signal("STOP");
        f.frozen = true;
        return f;
    }

    static long beamPid(String node) throws IOException {
        List<Long> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs.filter(p -> p.getFileName().toString().matches("\\d+"))::iterator) {
                try {
                    if (!Files.readString(p.resolve("comm")).strip().startsWith("beam")) {
                        continue;
                    }
                    List<String> args = Arrays.asList(new String(Files.readAllBytes(p.resolve("cmdline")),
                            StandardCharsets.UTF_8).split("\0"));
                    int at = args.indexOf(node);
                    if (at > 0 && args.get(at - 1).equals("-name")) {
                        found.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        if (found.size() != 1) {
            throw new IllegalStateException("expected one BEAM named " + node + " on this host, found " + found
                    + " (the BEAM must run in a container of the local cluster)");
        }
        return found.get(0);
    }

    private void signal(String sig) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("kill -" + sig + " " + pid + " (" + node + ") failed: " + out);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (frozen) {
            signal("CONT");
            frozen = false;
        }
    }
}
