package dev.relup.e2e.release;

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
    public record Snapshot(String pod, String uid, int restarts, String node, long count, String serverPid, String appVsn,
            List<ErlangNodes.Release> releases) {

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

    /** The OS pid of the node's BEAM: the same BEAM after a move means the emulator never restarted. */
    public static String beam(Snapshot s, String cookie) throws Exception {
        return ErlangNodes.string(ErlangNodes.rpc(s.node(), cookie, 5_000, "os", "getpid"));
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
            int restarts = p.getStatus().getContainerStatuses().get(0).getRestartCount();
            out.put(p.getMetadata().getName(), new Snapshot(p.getMetadata().getName(), p.getMetadata().getUid(), restarts,
                    node, count, pid, vsn, ErlangNodes.whichReleases(node, cookie)));
        }
        return out;
    }

    /** {@code ticker_stats:info()} answers: the child added in 0.2.0 runs. */
    public static boolean statsRuns(String node, String cookie) throws Exception {
        OtpErlangObject r = ErlangNodes.rpc(node, cookie, 10_000, "ticker_stats", "info");
        return r instanceof OtpErlangMap;
    }
}
