package dev.relup.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relup.engine.build.BuildException;
import dev.relup.engine.build.BuildReport;
import dev.relup.engine.build.RelupBuilder;
import dev.relup.engine.handler.FailureException;
import dev.relup.engine.handler.Release;
import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.handler.ReleasePackage;
import dev.relup.engine.handler.Releases;
import dev.relup.engine.handler.Timeouts;
import dev.relup.engine.node.Cookie;
import dev.relup.engine.node.NodeName;
import dev.relup.engine.upgrade.NodeMove;
import dev.relup.engine.upgrade.StepTiming;
import dev.relup.engine.upgrade.UpgradeReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * relupctl: build a relup package, install it on a running node, go back, show status. One JSON object on
 * stdout on success (exit 0); one line on stderr and a non-zero exit otherwise.
 */
public final class Relupctl {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: relupctl relup --from DIR --to DIR --out DIR [--purge soft|brutal]   (default soft)
                   relupctl install --node NAME [--cookie COOKIE] --package FILE
                   relupctl downgrade --node NAME [--cookie COOKIE] --to VSN
                   relupctl status --node NAME [--cookie COOKIE]
            The cookie may also come from $RELUP_COOKIE (so it does not show in ps).""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    Relupctl(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(new Relupctl(System.out, System.err, System.getenv()).run(args));
    }

    int run(String[] argv) {
        if (argv.length == 1 && argv[0].matches("help|--help|-h")) {
            out.println(USAGE_TEXT);
            return OK;
        }
        try {
            Args args = Args.parse(argv);
            ObjectNode result = switch (args.command()) {
                case "relup" -> relup(args.only("from", "to", "out", "purge"));
                case "install" -> install(args.only("node", "cookie", "package"));
                case "downgrade" -> downgrade(args.only("node", "cookie", "to"));
                case "status" -> status(args.only("node", "cookie"));
                default -> throw new UsageException("unknown command '" + args.command() + "'");
            };
            out.println(JSON.writeValueAsString(result));
            return OK;
        } catch (UsageException e) {
            err.println("relupctl: " + e.getMessage() + " (usage: relupctl help)");
            return USAGE;
        } catch (FailureException e) {
            err.println("relupctl: " + e.failure().kind() + ": " + oneLine(e.failure().message()));
            return FAILED;
        } catch (BuildException e) {
            err.println("relupctl: BUILD_FAILED: " + oneLine(e.getMessage()));
            return FAILED;
        } catch (Exception e) {
            err.println("relupctl: " + oneLine(String.valueOf(e)));
            return FAILED;
        }
    }

    private ObjectNode relup(Args a) throws UsageException, BuildException {
        Optional<String> purge = a.optional("purge");
        if (purge.isPresent() && !purge.get().matches("soft|brutal")) {
            throw new UsageException("--purge takes soft or brutal");
        }
        BuildReport report = RelupBuilder.locate().build(Path.of(a.required("from")), Path.of(a.required("to")),
                Path.of(a.required("out")), purge, Duration.ofMinutes(5));
        return JSON.valueToTree(report);
    }

    private ObjectNode install(Args a) throws UsageException, FailureException {
        ReleasePackage pkg = ReleasePackage.read(Path.of(a.required("package")));
        try (ReleaseHandlerClient client = connect(a)) {
            return report(NodeMove.toPackage(client, pkg).run());
        }
    }

    private ObjectNode downgrade(Args a) throws UsageException, FailureException {
        String to = a.required("to");
        try (ReleaseHandlerClient client = connect(a)) {
            return report(NodeMove.toInstalled(client, to).run());
        }
    }

    private ObjectNode status(Args a) throws UsageException, FailureException {
        try (ReleaseHandlerClient client = connect(a)) {
            Releases releases = client.whichReleases();
            ObjectNode o = JSON.createObjectNode();
            o.put("node", client.node().toString());
            o.put("running", releases.running().map(Release::vsn).orElse(null));
            o.put("permanent", releases.permanent().map(Release::vsn).orElse(null));
            ArrayNode list = o.putArray("releases");
            for (Release r : releases.all()) {
                ObjectNode e = list.addObject();
                e.put("name", r.name());
                e.put("vsn", r.vsn());
                e.put("state", r.state().atom());
                e.set("apps", JSON.valueToTree(r.apps()));
            }
            return o;
        }
    }

    private ReleaseHandlerClient connect(Args a) throws UsageException, FailureException {
        NodeName node;
        try {
            node = NodeName.parse(a.required("node"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        String cookie = a.optional("cookie").or(() -> Optional.ofNullable(env.get("RELUP_COOKIE"))
                .filter(s -> !s.isEmpty())).orElseThrow(() -> new UsageException("no cookie: pass --cookie or set RELUP_COOKIE"));
        return ReleaseHandlerClient.connect(node, Cookie.of(cookie), Timeouts.defaults());
    }

    static ObjectNode report(UpgradeReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("node", r.node());
        o.put("release", r.release());
        o.put("from", r.from());
        o.put("to", r.to());
        ArrayNode steps = o.putArray("steps");
        for (StepTiming t : r.steps()) {
            ObjectNode s = steps.addObject();
            s.put("step", t.step().name().toLowerCase(Locale.ROOT));
            s.put("ms", t.millis());
            s.put("note", t.note());
        }
        o.put("total_ms", r.totalMillis());
        return o;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\n\\s*", " ").strip();
    }

    /** Bad command line: usage text and exit 2. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
