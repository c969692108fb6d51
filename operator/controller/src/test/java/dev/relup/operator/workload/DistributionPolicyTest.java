package dev.relup.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.PodSettings;
import dev.relup.operator.TickerReleases;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

/** What the NetworkPolicy of a release admits: epmd and dist from its pods and the operator's, the rest from anyone. */
class DistributionPolicyTest {

    private static final OperatorPods OPERATOR = new OperatorPods("relup-system",
            Map.of("app.kubernetes.io/name", "relup-operator", "app.kubernetes.io/instance", "r"));

    private static ErlangRelease cr(Integer distributionPort) {
        ErlangRelease cr = TickerReleases.tick("team-a");
        if (distributionPort != null) {
            PodSettings pod = new PodSettings();
            pod.setDistributionPort(distributionPort);
            cr.getSpec().setPod(pod);
        }
        return cr;
    }

    private static List<String> ports(NetworkPolicyIngressRule rule) {
        return rule.getPorts().stream().map(DistributionPolicyTest::port).toList();
    }

    private static String port(NetworkPolicyPort p) {
        return p.getProtocol() + (p.getPort() == null ? "" : " " + p.getPort().getIntVal())
                + (p.getEndPort() == null ? "" : "-" + p.getEndPort());
    }

    @Test
    void epmdAndDistAdmitTheReleasesPodsAndTheOperatorsTheRestAnyone() {
        NetworkPolicy np = DistributionPolicy.desired(cr(null), Optional.of(OPERATOR));
        assertThat(np.getMetadata().getName()).isEqualTo("tick-distribution");
        assertThat(np.getMetadata().getNamespace()).isEqualTo("team-a");
        assertThat(np.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo("u-1")).satisfies(o -> assertThat(o.getController()).isTrue());
        assertThat(np.getMetadata().getLabels()).containsEntry("relup.dev/erlangrelease", "tick")
                .containsEntry("app.kubernetes.io/managed-by", "relup-operator");
        Map<String, String> releasePods = Map.of("relup.dev/erlangrelease", "tick", "app.kubernetes.io/component", "erlang-node");
        assertThat(np.getSpec().getPodSelector().getMatchLabels()).isEqualTo(releasePods)
                .as("the StatefulSet's own selector").isEqualTo(Workload.statefulSet(cr(null), "x:1", PolicySettings.OFF)
                        .getSpec().getSelector().getMatchLabels());
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(np.getSpec().getEgress()).isEmpty();

        List<NetworkPolicyIngressRule> ingress = np.getSpec().getIngress();
        assertThat(ingress).hasSize(2);
        NetworkPolicyIngressRule erlang = ingress.get(0);
        assertThat(ports(erlang)).containsExactly("TCP 4369", "TCP 9100");
        assertThat(erlang.getFrom()).hasSize(2);
        NetworkPolicyPeer own = erlang.getFrom().get(0);
        assertThat(own.getNamespaceSelector()).as("no namespaceSelector: the policy's own namespace").isNull();
        assertThat(own.getPodSelector().getMatchLabels()).isEqualTo(releasePods);
        NetworkPolicyPeer operator = erlang.getFrom().get(1);
        assertThat(operator.getNamespaceSelector().getMatchLabels()).isEqualTo(Map.of("kubernetes.io/metadata.name", "relup-system"));
        assertThat(operator.getPodSelector().getMatchLabels()).isEqualTo(OPERATOR.labels());
        assertThat(operator.getIpBlock()).isNull();

        NetworkPolicyIngressRule others = ingress.get(1);
        assertThat(others.getFrom()).as("from anyone").isEmpty();
        assertThat(ports(others)).containsExactly("TCP 1-4368", "TCP 4370-9099", "TCP 9101-65535", "UDP", "SCTP");
    }

    @Test
    void anOperatorOutsideTheClusterIsNotAPeer() {
        NetworkPolicy np = DistributionPolicy.desired(cr(null), Optional.empty());
        assertThat(np.getSpec().getIngress().get(0).getFrom()).singleElement()
                .satisfies(p -> assertThat(p.getPodSelector().getMatchLabels()).containsEntry("relup.dev/erlangrelease", "tick"))
                .satisfies(p -> assertThat(p.getNamespaceSelector()).isNull());
        assertThat(ports(np.getSpec().getIngress().get(1))).contains("TCP 1-4368");
    }

    @Test
    void theSpecsDistributionPortIsTheOneClosed() {
        NetworkPolicy np = DistributionPolicy.desired(cr(4370), Optional.of(OPERATOR));
        assertThat(ports(np.getSpec().getIngress().get(0))).containsExactly("TCP 4369", "TCP 4370");
        assertThat(ports(np.getSpec().getIngress().get(1))).containsExactly("TCP 1-4368", "TCP 4371-65535", "UDP", "SCTP");
        assertThat(DistributionPolicy.otherTcpPorts(1024)).extracting(DistributionPolicyTest::port)
                .containsExactly("TCP 1-1023", "TCP 1025-4368", "TCP 4370-65535");
        assertThat(DistributionPolicy.otherTcpPorts(65535)).extracting(DistributionPolicyTest::port)
                .containsExactly("TCP 1-4368", "TCP 4370-65534");
        assertThat(DistributionPolicy.otherTcpPorts(4367)).extracting(DistributionPolicyTest::port)
                .containsExactly("TCP 1-4366", "TCP 4368", "TCP 4370-65535");
    }

    /** Every TCP port is open exactly once, except epmd's and the distribution port, which are not open at all. */
    @ParameterizedTest
    @ValueSource(ints = {1024, 4367, 4368, 4370, 4371, 9100, 65534, 65535})
    void theOtherTcpPortsCoverEverythingElseOnce(int dist) {
        int[] covered = new int[DistributionPolicy.MAX_PORT + 1];
        for (NetworkPolicyPort p : DistributionPolicy.otherTcpPorts(dist)) {
            int from = p.getPort().getIntVal();
            int to = p.getEndPort() == null ? from : p.getEndPort();
            assertThat(to).as("endPort is given only for a range").isGreaterThanOrEqualTo(from);
            if (p.getEndPort() != null) {
                assertThat(to).isGreaterThan(from);
            }
            for (int port = from; port <= to; port++) {
                covered[port]++;
            }
        }
        for (int port = 1; port <= DistributionPolicy.MAX_PORT; port++) {
            assertThat(covered[port]).as("port " + port).isEqualTo(port == 4369 || port == dist ? 0 : 1);
        }
    }

    @Test
    void theWorkloadHashFollowsThePolicyAndNotTheOrderOfLabels() {
        ErlangRelease cr = cr(null);
        PolicySettings withOperator = new PolicySettings(true, Optional.of(OPERATOR));
        String h = Workload.workloadHash(cr, withOperator);
        assertThat(Workload.statefulSet(cr, "x:1", withOperator).getMetadata().getAnnotations()).containsValue(h);
        assertThat(Workload.workloadHash(cr, PolicySettings.OFF)).isNotEqualTo(h);
        assertThat(Workload.workloadHash(cr, new PolicySettings(true, Optional.empty()))).isNotEqualTo(h);
        assertThat(Workload.workloadHash(cr, new PolicySettings(true, Optional.of(new OperatorPods("ops", OPERATOR.labels())))))
                .isNotEqualTo(h);
        assertThat(Workload.workloadHash(cr(9101), withOperator)).isNotEqualTo(h);

        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("app.kubernetes.io/instance", "r");
        reversed.put("app.kubernetes.io/name", "relup-operator");
        Map<String, String> inOrder = new LinkedHashMap<>();
        inOrder.put("app.kubernetes.io/name", "relup-operator");
        inOrder.put("app.kubernetes.io/instance", "r");
        assertThat(Workload.workloadHash(cr, new PolicySettings(true, Optional.of(new OperatorPods("relup-system", reversed)))))
                .isEqualTo(Workload.workloadHash(cr, new PolicySettings(true, Optional.of(new OperatorPods("relup-system", inOrder)))));
    }
}
