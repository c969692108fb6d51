package dev.relup.e2e.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;

import dev.relup.e2e.cluster.ErlangNodes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The ticker sample's pods and nodes read from outside, as a user would check a hot upgrade: pod uid and restart
 * count from the API server, {@code ticker_server} state and {@code release_handler} over Erlang distribution
 * through the API server's port-forward ({@link ErlangNodes}).
 */
public final class Ticker {

    /** What one pod and its node look like at one moment. */
    public record Snapshot(String pod, String uid, int restarts, String node, String beam, long count, String serverPid,
            String appVsn, List<ErlangNodes.Release> releases) {

        public String permanentVersion() {
            return releases.stream().filter(r -> r.status().equals("permanent")).map(ErlangNodes.Release::version)
                    .findFirst().orElse(null);
        }

        public String runningVersion() {
            return releases.stream().filter(r -> r.status().equals("current")).map(ErlangNodes.Release::version)
                    .findFirst().orElse(permanentVersion());
        }
    }

    private Ticker() {}

    /** The Erlang cookie the operator generated, from its Secret. */
    public static String cookie(KubernetesClient client, String ns, String secret) {
        String b64 = client.secrets().inNamespace(ns).withName(secret).get().getData().get("cookie");
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8).strip();
    }

    /**
     * Everything kept in place (by a hot move, a live config change, or a move refused before any pod), on each pod: the same pod (uid) and container (restart count), the same BEAM (OS pid:
     * the emulator never restarted), the same {@code ticker_server} process (pid) whose tick count went on from where
     * it was; the node runs {@code version} permanently, and so does the ticker application.
     */
    public static void assertInPlace(Map<String, Snapshot> before, Map<String, Snapshot> after, String version) {
        assertEquals(before.keySet(), after.keySet(), "the same pods");
        for (Snapshot a : after.values()) {
            Snapshot b = before.get(a.pod());
            assertEquals(b.uid(), a.uid(), a.pod() + " same pod");
            assertEquals(b.restarts(), a.restarts(), a.pod() + " container not restarted");
            assertEquals(b.beam(), a.beam(), a.pod() + " same BEAM (OS pid)");
            assertEquals(b.serverPid(), a.serverPid(), a.pod() + " same ticker_server: state kept");
            assertTrue(a.count() >= b.count(), a.pod() + " tick count continued: " + b.count() + " -> " + a.count());
            assertEquals(version, a.permanentVersion(), a.pod() + " permanent release " + a.releases());
            assertEquals(version, a.runningVersion(), a.pod() + " running release " + a.releases());
            assertEquals(version, a.appVsn(), a.pod() + " runs the ticker application " + version);
        }
    }

    /** Every erlang-node pod of the namespace, by name. */
    public static Map<String, Snapshot> snapshot(KubernetesClient client, String ns, String cookie) throws Exception {
        Map<String, Snapshot> out = new LinkedHashMap<>();
        List<Pod> pods = client.pods().inNamespace(ns).withLabel("app.kubernetes.io/component", "erlang-node").list().getItems();
        pods.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        for (Pod p : pods) {
            String node = "ticker@" + p.getStatus().getPodIP();
            OtpErlangMap m = (OtpErlangMap) ErlangNodes.rpc(node, cookie, 10_000, "ticker_server", "info");
            long count = ((OtpErlangLong) m.get(new OtpErlangAtom("count"))).longValue();
            String pid = String.valueOf(m.get(new OtpErlangAtom("pid")));
            String vsn = ErlangNodes.string(m.get(new OtpErlangAtom("app_vsn")));
            String beam = ErlangNodes.string(ErlangNodes.rpc(node, cookie, 5_000, "os", "getpid"));
            int restarts = p.getStatus().getContainerStatuses().get(0).getRestartCount();
            out.put(p.getMetadata().getName(), new Snapshot(p.getMetadata().getName(), p.getMetadata().getUid(), restarts,
                    node, beam, count, pid, vsn, ErlangNodes.whichReleases(node, cookie)));
        }
        return out;
    }

    /** {@code ticker_stats:info()} answers: the child added in 0.2.0 runs. */
    public static boolean statsRuns(String node, String cookie) throws Exception {
        OtpErlangObject r = ErlangNodes.rpc(node, cookie, 10_000, "ticker_stats", "info");
        return r instanceof OtpErlangMap;
    }
}
