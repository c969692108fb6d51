package dev.relup.engine;

import dev.relup.engine.build.BuildReport;
import dev.relup.engine.handler.FailureException;
import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.handler.ReleasePackage;
import dev.relup.engine.handler.Timeouts;
import dev.relup.engine.node.Cookie;
import dev.relup.engine.node.NodeName;
import dev.relup.engine.testing.LiveNode;
import dev.relup.engine.testing.Ticker;
import dev.relup.engine.upgrade.NodeMove;
import dev.relup.engine.upgrade.StepTiming;
import dev.relup.engine.upgrade.UpgradeReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * Not a test: times each step of ticker 0.1.0 -> 0.2.0 (and back) on a real node, plus the package size and
 * how fast connection failures are detected. Run: {@code operator/engine/bench [RUNS]}.
 */
public final class Bench {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path work = Files.createTempDirectory("relup-bench");
        try {
            long t0 = System.nanoTime();
            BuildReport build = Ticker.build(Ticker.unpacked("0.1.0"), Ticker.unpacked("0.2.0"), work.resolve("out"));
            System.out.printf("build (relup_builder 0.1.0 -> 0.2.0): %d ms, package %s: %d bytes (%.2f MiB), hot=%s%n",
                    ms(t0), Path.of(build.packagePath()).getFileName(), build.size(), build.size() / 1048576.0,
                    build.hot());
            ReleasePackage pkg = ReleasePackage.read(Path.of(build.packagePath()));
            for (int i = 1; i <= runs; i++) {
                try (LiveNode node = LiveNode.start("0.1.0", work)) {
                    long c0 = System.nanoTime();
                    try (ReleaseHandlerClient c = node.client()) {
                        System.out.printf("run %d: connect %d ms%n", i, ms(c0));
                        print("upgrade  ", NodeMove.toPackage(c, pkg).run());
                        print("downgrade", NodeMove.toInstalled(c, "0.1.0").run());
                    }
                    long a0 = System.nanoTime();
                    String kind = failKind(node.name(), "wrong-" + node.cookie());
                    System.out.printf("run %d: wrong cookie -> %s in %d ms%n", i, kind, ms(a0));
                    long u0 = System.nanoTime();
                    kind = failKind(new NodeName("absent" + i, "127.0.0.1"), node.cookie());
                    System.out.printf("run %d: unregistered node -> %s in %d ms%n", i, kind, ms(u0));
                }
            }
        } finally {
            try (var paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void print(String what, UpgradeReport r) {
        StringBuilder sb = new StringBuilder(what + " " + r.from() + " -> " + r.to() + ": total " + r.totalMillis() + " ms |");
        for (StepTiming s : r.steps()) {
            sb.append(' ').append(s.step().name().toLowerCase()).append(' ').append(s.millis()).append(" ms;");
        }
        System.out.println(sb);
    }

    private static String failKind(NodeName name, String cookie) {
        try (ReleaseHandlerClient c = ReleaseHandlerClient.connect(name, Cookie.of(cookie), Timeouts.defaults())) {
            return "connected?!";
        } catch (FailureException e) {
            return e.failure().kind();
        }
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
