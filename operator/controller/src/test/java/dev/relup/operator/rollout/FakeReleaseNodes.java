package dev.relup.operator.rollout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.relup.api.v1alpha1.ReleaseEntry;
import dev.relup.operator.node.NodeFailure;
import dev.relup.operator.node.NodeRef;
import dev.relup.operator.node.ReleaseNodes;

/**
 * release_handler as a small state machine per node (which_releases states, relup paths), recording every call,
 * so rollout tests can check that nothing is done twice and that failures surface typed.
 */
final class FakeReleaseNodes implements ReleaseNodes {

    final Map<String, Map<String, String>> nodes = new LinkedHashMap<>(); // pod -> vsn -> state
    final List<String> calls = new ArrayList<>();
    String packageVersion = "0.2.0";
    NodeFailure failInstall;

    void node(String pod, String... entries) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String e : entries) {
            String[] kv = e.split(":");
            m.put(kv[0], kv[1]);
        }
        nodes.put(pod, m);
    }

    @Override
    public NodeSession open(NodeRef ref) throws NodeFailure {
        Map<String, String> n = nodes.get(ref.pod());
        if (n == null) {
            throw new NodeFailure(NodeFailure.Kind.UNREACHABLE, ref.pod() + ": not registered with epmd");
        }
        String pod = ref.pod();
        return new NodeSession() {
            @Override
            public List<ReleaseEntry> whichReleases() {
                calls.add(pod + " which_releases");
                return n.entrySet().stream().map(e -> new ReleaseEntry(e.getKey(), e.getValue())).toList();
            }

            @Override
            public void transferAndUnpack(Path packageFile) {
                calls.add(pod + " transfer+unpack " + packageVersion);
                n.put(packageVersion, "unpacked");
            }

            @Override
            public void checkUpgradePath(String to) throws NodeFailure {
                calls.add(pod + " check " + to);
                if (!n.containsKey(to)) {
                    throw new NodeFailure(NodeFailure.Kind.NO_UPGRADE_PATH, pod + ": no relup to " + to);
                }
            }

            @Override
            public void install(String version) throws NodeFailure {
                calls.add(pod + " install " + version);
                if (failInstall != null) {
                    throw failInstall;
                }
                n.replaceAll((v, s) -> s.equals("current") ? "old" : s);
                n.put(version, "current");
            }

            @Override
            public void makePermanent(String version) {
                calls.add(pod + " make_permanent " + version);
                n.replaceAll((v, s) -> s.equals("permanent") ? "old" : s);
                n.put(version, "permanent");
            }

            @Override
            public void close() {
            }
        };
    }
}
