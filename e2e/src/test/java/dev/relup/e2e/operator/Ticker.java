package dev.relup.e2e.operator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
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

/** Reads the ticker sample's state over Erlang distribution, as a user would check a hot upgrade. */
final class Ticker {

    /** What one pod and its node look like at one moment. */
    record Snapshot(String pod, String uid, int restarts, String node, long count, String serverPid, String appVsn,
            List<ErlangNodes.Release> releases) {

        String permanentVersion() {
            return releases.stream().filter(r -> r.status().equals("permanent")).map(ErlangNodes.Release::version)
                    .findFirst().orElse(null);
        }

        String runningVersion() {
            return releases.stream().filter(r -> r.status().equals("current")).map(ErlangNodes.Release::version)
                    .findFirst().orElse(permanentVersion());
        }
    }

    private Ticker() {}

    static String cookie(KubernetesClient client, String ns, String secret) {
        String b64 = client.secrets().inNamespace(ns).withName(secret).get().getData().get("cookie");
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8).strip();
    }

    static Map<String, Snapshot> snapshot(KubernetesClient client, String ns, String cookie) throws Exception {
        Map<String, Snapshot> out = new LinkedHashMap<>();
        List<Pod> pods = client.pods().inNamespace(ns).withLabel("app.kubernetes.io/component", "erlang-node").list().getItems();
        pods.sort(java.util.Comparator.comparing(p -> p.getMetadata().getName()));
        for (Pod p : pods) {
            String node = "ticker@" + p.getStatus().getPodIP();
            OtpErlangObject info = ErlangNodes.rpc(node, cookie, 10_000, "ticker_server", "info");
            OtpErlangMap m = (OtpErlangMap) info;
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
    static boolean statsRuns(String node, String cookie) throws Exception {
        OtpErlangObject r = ErlangNodes.rpc(node, cookie, 10_000, "ticker_stats", "info");
        return r instanceof OtpErlangMap;
    }
}
