package dev.relup.operator.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.PodSettings;
import dev.relup.operator.Labels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;

/**
 * The NetworkPolicy of one ErlangRelease. Erlang distribution is cleartext, and whoever completes its handshake (the
 * cookie) runs any code on the node; epmd names the nodes and their ports to anyone who asks. So the policy selects
 * the release's pods and admits, for ingress:
 * <ol>
 *   <li>to epmd (4369) and the pinned distribution port ({@link DistributionPort}): only the release's own pods (same
 *       namespace, the StatefulSet's selector labels) and the operator's pods ({@link OperatorPods}: their namespace
 *       by its {@code kubernetes.io/metadata.name} label, and their labels), when the operator runs in the cluster;</li>
 *   <li>to every other port, TCP (as ranges around those two), UDP and SCTP: anyone, so the application's own ports
 *       serve their clients as before and no user has to write a rule for them.</li>
 * </ol>
 * An operator outside the cluster needs no entry: through the API server's port-forward its connections are made
 * inside the pod's own network namespace to localhost (the kubelet's runtime dials them there), which NetworkPolicy
 * does not filter, and traffic from the pod's own node is always allowed. Pods the policy does not select (the build
 * Job's) are untouched. Kubernetes documents no way for a policy to block a pod's own node: the kubelet's TCP
 * readiness probe on epmd keeps working.
 */
public final class DistributionPolicy {

    static final int MAX_PORT = 65535;
    /** The label the API server gives every namespace (its name): selects the operator's namespace. */
    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private DistributionPolicy() {}

    /** The policy of {@code cr}, owned by it, admitting {@code operator}'s pods when present. */
    public static NetworkPolicy desired(ErlangRelease cr, Optional<OperatorPods> operator) {
        String name = cr.getMetadata().getName();
        int dist = DistributionPort.of(cr.getSpec().getPod());
        List<NetworkPolicyPeer> erlangPeers = new ArrayList<>();
        erlangPeers.add(new NetworkPolicyPeerBuilder().withNewPodSelector().withMatchLabels(sorted(Labels.selector(name)))
                .endPodSelector().build());
        operator.ifPresent(o -> erlangPeers.add(new NetworkPolicyPeerBuilder()
                .withNewNamespaceSelector().withMatchLabels(Map.of(NAMESPACE_NAME_LABEL, o.namespace())).endNamespaceSelector()
                .withNewPodSelector().withMatchLabels(sorted(o.labels())).endPodSelector()
                .build()));
        List<NetworkPolicyPort> others = new ArrayList<>(otherTcpPorts(dist));
        others.add(new NetworkPolicyPortBuilder().withProtocol("UDP").build());
        others.add(new NetworkPolicyPortBuilder().withProtocol("SCTP").build());
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(Labels.networkPolicyName(name))
                .withNamespace(cr.getMetadata().getNamespace())
                .withLabels(Workload.labels(cr))
                .withOwnerReferences(Workload.owner(cr))
                .endMetadata()
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(sorted(Labels.selector(name))).endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress().withFrom(erlangPeers).withPorts(tcp(PodSettings.EPMD_PORT, null), tcp(dist, null)).endIngress()
                .addNewIngress().withPorts(others).endIngress()
                .endSpec()
                .build();
    }

    /** TCP port ranges covering 1-65535 except epmd's port and {@code dist}, in order (endPort only for a range). */
    static List<NetworkPolicyPort> otherTcpPorts(int dist) {
        int low = Math.min(dist, PodSettings.EPMD_PORT);
        int high = Math.max(dist, PodSettings.EPMD_PORT);
        List<NetworkPolicyPort> ports = new ArrayList<>();
        addRange(ports, 1, low - 1);
        addRange(ports, low + 1, high - 1);
        addRange(ports, high + 1, MAX_PORT);
        return ports;
    }

    private static void addRange(List<NetworkPolicyPort> ports, int from, int to) {
        if (from <= to) {
            ports.add(tcp(from, from == to ? null : to));
        }
    }

    private static NetworkPolicyPort tcp(int port, Integer endPort) {
        return new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(port)).withEndPort(endPort).build();
    }

    /** Label maps in key order: the policy serializes (and hashes, {@link Workload#workloadHash}) the same every run. */
    private static Map<String, String> sorted(Map<String, String> labels) {
        return new TreeMap<>(labels);
    }
}
