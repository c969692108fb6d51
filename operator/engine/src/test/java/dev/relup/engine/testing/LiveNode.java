package dev.relup.engine.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import dev.relup.engine.handler.FailureException;
import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.handler.Timeouts;
import dev.relup.engine.node.Cookie;
import dev.relup.engine.node.Epmd;
import dev.relup.engine.node.NodeName;
import dev.relup.engine.node.Terms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real ticker node, started with {@code bin/ticker daemon} from a private copy of an unpacked release
 * (so upgrades never touch the shared cache), with a unique name and cookie.
 */
public final class LiveNode implements AutoCloseable {

    private final Path root;
    private final NodeName name;
    private final String cookie;
    private String osPid;

    private LiveNode(Path root, NodeName name, String cookie) {
        this.root = root;
        this.name = name;
        this.cookie = cookie;
    }

    /** Copies ticker {@code vsn} under {@code workDir} and starts it. */
    public static LiveNode start(String vsn, Path workDir) {
        String id = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        Path root = workDir.resolve("node-" + id);
        run(Duration.ofSeconds(60), Map.of(), "cp", "-a", Ticker.unpacked(vsn).toString(), root.toString());
        LiveNode node = new LiveNode(root, new NodeName("tk" + id, "127.0.0.1"), "c" + id);
        node.start();
        return node;
    }

    public void start() {
        run(Duration.ofSeconds(30), env(), root.resolve("bin/ticker").toString(), "daemon");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (ReleaseHandlerClient c = client()) {
                OtpErlangObject whereis = c.rpc("erlang", "whereis", Terms.atom("ticker_server"));
                // ready = ticker running and release_handler (sasl) answering
                if (!Terms.isAtom(whereis, "undefined") && c.whichReleases().running().isPresent()) {
                    osPid = Terms.text(c.rpc("os", "getpid"));
                    return;
                }
            } catch (FailureException e) {
                // still booting
            }
            sleep(200);
        }
        fail("node " + name + " did not come up from " + root);
    }

    /** {@code bin/ticker stop}, and a kill if the VM is still there after it. */
    public void stop() {
        run(Duration.ofSeconds(30), env(), root.resolve("bin/ticker").toString(), "stop");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline && registered()) {
            sleep(100);
        }
        if (osPid != null && Files.exists(Path.of("/proc", osPid))) {
            run(Duration.ofSeconds(5), Map.of(), "kill", "-9", osPid);
        }
        osPid = null;
    }

    public boolean registered() {
        try {
            return Epmd.names(name.host(), Epmd.DEFAULT_PORT, Duration.ofSeconds(1)).containsKey(name.alive());
        } catch (IOException e) {
            return false;
        }
    }

    public ReleaseHandlerClient client() throws FailureException {
        return ReleaseHandlerClient.connect(name, Cookie.of(cookie), Timeouts.defaults());
    }

    /** ticker_server:info() as a Java map (count, interval, pid, os_pid, app_vsn, ...). */
    public Map<String, OtpErlangObject> info(ReleaseHandlerClient c) throws FailureException {
        OtpErlangMap m = (OtpErlangMap) c.rpc("ticker_server", "info");
        Map<String, OtpErlangObject> out = new HashMap<>();
        for (OtpErlangObject k : m.keys()) {
            out.put(Terms.text(k), m.get(k));
        }
        return out;
    }

    public NodeName name() {
        return name;
    }

    public String cookie() {
        return cookie;
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * The image contract: the name from RELEASE_NODE, the cookie from {@code $HOME/.erlang.cookie} (owner-only), never
     * on a command line; HOME is private to this node, beside its release root.
     */
    private Map<String, String> env() {
        Path home = root.resolveSibling(root.getFileName() + "-home");
        Path file = home.resolve(".erlang.cookie");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(home);
                Files.writeString(file, cookie);
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Map.of("RELEASE_NODE", name.toString(), "HOME", home.toString());
    }

    static void run(Duration timeout, Map<String, String> env, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", cmd) + " did not finish within " + timeout);
            }
        } catch (IOException e) {
            fail("cannot run " + String.join(" ", cmd) + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
