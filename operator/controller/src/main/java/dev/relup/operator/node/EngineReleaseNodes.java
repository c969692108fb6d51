package dev.relup.operator.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.relup.api.v1alpha1.ReleaseEntry;
import dev.relup.engine.config.ConfigApply;
import dev.relup.engine.config.ConfigCheck;
import dev.relup.engine.config.ConfigReport;
import dev.relup.engine.config.LiveConfig;
import dev.relup.engine.config.Overrides;
import dev.relup.engine.handler.Failure;
import dev.relup.engine.handler.FailureException;
import dev.relup.engine.handler.HealthCheck;
import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.handler.ReleasePackage;
import dev.relup.engine.handler.Timeouts;
import dev.relup.engine.node.Cookie;
import dev.relup.engine.node.NodeName;
import dev.relup.engine.upgrade.NodeMove;
import dev.relup.engine.upgrade.Step;

/**
 * {@link ReleaseNodes} over the engine's Jinterface release_handler client.
 *
 * <p>Clients are kept per node (and cookie) and reused across passes, for latency only: a new client costs an epmd
 * query and a distribution handshake, a pass right after each step or every 2 s while moving would pay them for every node each
 * time. (A client no longer holds anything beyond its connection: the engine's client has no listen socket and
 * {@code close()} releases every socket, also after a failed connect.) A kept client re-dials by itself after a
 * dropped connection or a timed-out call; one whose call found the connection broken or the node unreachable, or
 * whose cookie was refused, is closed and forgotten, so the next pass connects afresh; one unused for
 * {@link #IDLE_EVICTION} is closed too.
 */
public final class EngineReleaseNodes implements ReleaseNodes {

    /**
     * Longer than the gaps between a move's uses (passes, 1 s polls), shorter than the 30 s polls of an idle release:
     * an idle release holds no connection between its polls. Each connection is a thread of Jinterface's (a reader),
     * 100 idle releases kept 100 of them.
     */
    static final java.time.Duration IDLE_EVICTION = java.time.Duration.ofSeconds(10);

    private record Pooled(ReleaseHandlerClient client, long lastUsedNanos) {}

    private final Timeouts timeouts;
    private final PodRoutes routes;
    private final java.util.concurrent.ConcurrentHashMap<String, Pooled> clients = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<Path, ParsedPackage> packages =
            new java.util.concurrent.ConcurrentHashMap<>();

    public EngineReleaseNodes(Timeouts timeouts, PodRoutes routes) {
        this.timeouts = timeouts;
        this.routes = routes;
    }

    @Override
    public NodeSession open(NodeRef ref) throws NodeFailure {
        evictIdle();
        String key = key(ref);
        Pooled pooled = clients.get(key);
        if (pooled == null) {
            try {
                pooled = new Pooled(ReleaseHandlerClient.connect(
                        new NodeName(ref.release(), ref.host()), Cookie.of(new String(ref.cookie())), timeouts,
                        routes.to(ref)), System.nanoTime());
            } catch (FailureException e) {
                throw map(ref, e);
            }
            Pooled raced = clients.putIfAbsent(key, pooled);
            if (raced != null) {
                pooled.client().close();
                pooled = raced;
            }
        }
        clients.put(key, new Pooled(pooled.client(), System.nanoTime()));
        return new Session(ref, pooled.client(), () -> forget(key), this::readPackage);
    }

    private interface PackageReader {
        ReleasePackage read(Path file) throws FailureException;
    }

    private record ParsedPackage(long size, long modified, ReleasePackage pkg) {}

    /**
     * A package parsed (gunzipped, its .rel and relup read, sha256 and md5 computed) once and kept while its file
     * does not change: a move takes several steps per pod, each needing it, and the file is megabytes. Size and time
     * only tell a change, they do not prove there was none: the {@link TransferGuard} hashes the file before each
     * transfer.
     */
    private ReleasePackage readPackage(Path file) throws FailureException {
        long size;
        long modified;
        try {
            size = java.nio.file.Files.size(file);
            modified = java.nio.file.Files.getLastModifiedTime(file).toMillis();
        } catch (java.io.IOException e) {
            return ReleasePackage.read(file); // reports the unreadable file in the engine's words
        }
        ParsedPackage known = packages.get(file);
        if (known != null && known.size() == size && known.modified() == modified) {
            return known.pkg();
        }
        ReleasePackage pkg = ReleasePackage.read(file);
        packages.keySet().removeIf(f -> !java.nio.file.Files.exists(f)); // pruned from the package cache
        packages.put(file, new ParsedPackage(size, modified, pkg));
        return pkg;
    }

    /** Number of kept clients (tests, metrics). */
    int pooled() {
        return clients.size();
    }

    private void forget(String key) {
        Pooled p = clients.remove(key);
        if (p != null) {
            p.client().close();
        }
    }

    private void evictIdle() {
        long now = System.nanoTime();
        clients.forEach((k, p) -> {
            if (now - p.lastUsedNanos() > IDLE_EVICTION.toNanos()) {
                forget(k);
            }
        });
    }

    private static String key(NodeRef ref) {
        return ref.nodeName() + "#" + dev.relup.operator.packaging.BuildNames.sha256(new String(ref.cookie())).substring(0, 12);
    }

    private static final class Session implements NodeSession {
        private final NodeRef ref;
        private final ReleaseHandlerClient client;
        private final Runnable forget;
        private final PackageReader packages;

        Session(NodeRef ref, ReleaseHandlerClient client, Runnable forget, PackageReader packages) {
            this.ref = ref;
            this.client = client;
            this.forget = forget;
            this.packages = packages;
        }

        /** Maps a failure; a client whose node cannot be reached (or refuses the cookie) is dropped from the pool. */
        private NodeFailure fail(FailureException e) {
            NodeFailure f = map(ref, e);
            if (f.kind() == NodeFailure.Kind.UNREACHABLE || f.kind() == NodeFailure.Kind.WRONG_COOKIE) {
                forget.run();
            }
            return f;
        }

        @Override
        public List<ReleaseEntry> whichReleases() throws NodeFailure {
            try {
                return client.whichReleases().all().stream()
                        .map(r -> new ReleaseEntry(r.vsn(), r.state().atom()))
                        .toList();
            } catch (FailureException e) {
                throw fail(e);
            }
        }

        @Override
        public boolean started() throws NodeFailure {
            try {
                return client.started();
            } catch (FailureException e) {
                throw fail(e);
            }
        }

        @Override
        public boolean startScriptIs(String version) throws NodeFailure {
            try {
                return client.startScriptMatches(ref.release(), version).orElse(true);
            } catch (FailureException e) {
                throw fail(e);
            }
        }

        @Override
        public StepDone advance(String to, Optional<PackageFile> packageFile) throws NodeFailure {
            try {
                Optional<ReleasePackage> pkg = packageFile.isPresent()
                        ? Optional.of(packages.read(packageFile.get().file())) : Optional.empty();
                NodeMove move = NodeMove.to(client, to, pkg);
                Step step = move.next();
                if (step == Step.TRANSFER) {
                    TransferGuard.verify(ref.pod(), packageFile.get(), pkg.get()); // next() needs a package to say TRANSFER
                }
                return new StepDone(step, move.perform(step));
            } catch (FailureException e) {
                throw fail(e);
            }
        }

        @Override
        public HealthAnswer checkHealth(dev.relup.api.v1alpha1.HealthCheck check) throws NodeFailure {
            try {
                if (check == null) {
                    dev.relup.engine.handler.Incarnation beam = client.incarnation();
                    return new HealthAnswer(true, "no health check", 0, beamId(beam));
                }
                HealthCheck.Verdict v = HealthCheck.run(client, check.getModule(), check.getFunction(), check.getArgs(),
                        Duration.ofSeconds(check.getTimeoutSeconds() == null ? 10 : check.getTimeoutSeconds()));
                return new HealthAnswer(v.passed(), v.answer(), v.millis(), beamId(v.beam()));
            } catch (FailureException e) {
                throw fail(e);
            }
        }

        @Override
        public String overrides(String vsn) throws NodeFailure {
            try {
                return LiveConfig.persistedText(client, vsn);
            } catch (FailureException e) {
                throw fail(e);
            }
        }

        @Override
        public ConfigVerdict validateConfig(String text) throws NodeFailure {
            try {
                ConfigCheck c = LiveConfig.validate(client, text);
                return c instanceof ConfigCheck.Accepted a ? new ConfigVerdict(a.overrides().text(), null)
                        : new ConfigVerdict(null, ((ConfigCheck.Rejected) c).reason());
            } catch (FailureException e) {
                throw fail(e);
            }
        }

        @Override
        public ConfigApplied applyConfig(String text) throws NodeFailure {
            try {
                String vsn = client.runningVsn();
                String previous = LiveConfig.persistedText(client, vsn);
                ConfigCheck c = LiveConfig.validate(client, text);
                if (c instanceof ConfigCheck.Rejected r) {
                    throw new NodeFailure(NodeFailure.Kind.OTHER, ref.pod() + ": config rejected: " + r.reason());
                }
                Overrides next = ((ConfigCheck.Accepted) c).overrides();
                // previous is re-parsed from its text on the node; its keys are not needed to diff
                ConfigReport report = ConfigApply.apply(client, new Overrides(previous, java.util.Map.of()), next);
                LiveConfig.persist(client, vsn, next);
                return new ConfigApplied(previous, next.text(), report);
            } catch (FailureException e) {
                throw fail(e);
            }
        }

        private static String beamId(dev.relup.engine.handler.Incarnation beam) {
            return beam.osPid() + "/" + beam.kernelSup();
        }

        /** The client stays in the pool for the next pass. */
        @Override
        public void close() {
        }
    }

    /** The engine's failures, mapped onto the operator's closed set; messages name the pod, never the cookie. */
    static NodeFailure map(NodeRef ref, FailureException e) {
        Failure f = e.failure();
        NodeFailure.Kind kind = switch (f.kind()) {
            case "NODE_UNREACHABLE", "CONNECTION_LOST" -> NodeFailure.Kind.UNREACHABLE;
            case "AUTH_FAILED" -> NodeFailure.Kind.WRONG_COOKIE;
            case "TIMEOUT" -> NodeFailure.Kind.TIMEOUT;
            case "NO_UPGRADE_PATH" -> NodeFailure.Kind.NO_UPGRADE_PATH;
            case "CODE_CHANGE_FAILED", "INSTALL_CRASHED" -> NodeFailure.Kind.CODE_CHANGE_FAILED;
            case "OLD_PROCESSES" -> NodeFailure.Kind.OLD_PROCESSES;
            case "TRANSFER_FAILED" -> NodeFailure.Kind.TRANSFER_FAILED;
            case "INVALID_PACKAGE", "NO_PACKAGE" -> NodeFailure.Kind.PACKAGE_FAILED;
            default -> NodeFailure.Kind.OTHER;
        };
        String message = ref.pod() + ": " + f.message();
        if (kind == NodeFailure.Kind.WRONG_COOKIE) {
            // a node started under another name refuses the handshake just as a wrong cookie does
            message += "; or the node is not named " + ref.nodeName() + " (the image contract: long names,"
                    + " -name <spec.release>@<pod IP>, here " + ref.release() + "@" + ref.host() + ")";
        }
        boolean restarted = f instanceof Failure.CodeChangeFailed c && c.nodeRestarted()
                || f instanceof Failure.InstallCrashed i && i.nodeRestarted();
        return new NodeFailure(kind, message, e, restarted);
    }
}
