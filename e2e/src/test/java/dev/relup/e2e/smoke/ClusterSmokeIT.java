package dev.relup.e2e.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relup.e2e.cluster.ClusterProvider;
import dev.relup.e2e.cluster.ErlangNodes;
import dev.relup.e2e.cluster.KubernetesE2e;
import dev.relup.e2e.cluster.PodExec;
import dev.relup.e2e.cluster.PodNetwork;
import dev.relup.e2e.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The ground the operator stands on: a release image runs as a StatefulSet, its Erlang nodes are reachable
 * by pod IP from the test JVM (Jinterface, cookie from a Secret), Jobs with init containers of two images
 * complete, exec works, cluster DNS resolves Services and pods, and pods reach the API server via its Service.
 *
 * <p>Images (loaded by the build's pre-integration-test): ticker:0.1.0 (samples/ticker, relx release at
 * /opt/release) and relup-busybox:1. Nothing is pulled: imagePullPolicy Never.
 */
@KubernetesE2e
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSmokeIT {
    static final String TICKER = System.getProperty("relup.e2e.tickerImage", "ticker:0.1.0");
    static final String BUSYBOX = System.getProperty("relup.e2e.busyboxImage", "relup-busybox:1");
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    @BeforeAll
    static void deployTicker(KubernetesClient client, TestNamespace ns) {
        String n = ns.name();
        client.secrets().inNamespace(n).resource(new SecretBuilder().withNewMetadata().withName("ticker-cookie").endMetadata()
                .addToStringData("cookie", "c" + UUID.randomUUID().toString().replace("-", "")).build()).create();
        Map<String, String> labels = Map.of("app", "ticker");
        // headless Service: stable pod DNS names ticker-N.ticker.<ns>.svc.cluster.local
        client.services().inNamespace(n).resource(new ServiceBuilder().withNewMetadata().withName("ticker").endMetadata()
                .withNewSpec().withClusterIP("None").withSelector(labels).withPublishNotReadyAddresses(true)
                .addNewPort().withName("epmd").withPort(4369).endPort().endSpec().build()).create();
        // ClusterIP Service (resolved through kube-proxy's rules)
        client.services().inNamespace(n).resource(new ServiceBuilder().withNewMetadata().withName("ticker-epmd").endMetadata()
                .withNewSpec().withSelector(labels).addNewPort().withName("epmd").withPort(4369).endPort().endSpec().build()).create();
        List<EnvVar> env = List.of(
                new EnvVarBuilder().withName("POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().build(),
                new EnvVarBuilder().withName("RELEASE_NODE").withValue("ticker@$(POD_IP)").build(),
                // the image contract: the cookie as $HOME/.erlang.cookie (never on a command line); the Secret volume's
                // file, mode 0400, is readable by this pod's uid (the image's, root) and by no one else
                new EnvVarBuilder().withName("HOME").withValue("/cookie").build());
        Container ticker = new ContainerBuilder().withName("ticker").withImage(TICKER).withImagePullPolicy("Never").withEnv(env)
                .addNewVolumeMount().withName("cookie").withMountPath("/cookie").withReadOnly(true).endVolumeMount()
                .addNewPort().withName("epmd").withContainerPort(4369).endPort()
                .withNewReadinessProbe().withNewTcpSocket().withNewPort(4369).endTcpSocket().withPeriodSeconds(2).endReadinessProbe()
                .build();
        client.apps().statefulSets().inNamespace(n).resource(new StatefulSetBuilder().withNewMetadata().withName("ticker").endMetadata()
                .withNewSpec().withReplicas(2).withServiceName("ticker").withPodManagementPolicy("Parallel")
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withContainers(ticker).withTerminationGracePeriodSeconds(5L)
                .addNewVolume().withName("cookie").withNewSecret().withSecretName("ticker-cookie").withDefaultMode(0400)
                .addNewItem().withKey("cookie").withPath(".erlang.cookie").endItem().endSecret().endVolume()
                .endSpec().endTemplate()
                .endSpec().build()).create();
        Awaitility.await("2 ready ticker pods").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            var sts = client.apps().statefulSets().inNamespace(n).withName("ticker").get();
            return sts.getStatus() != null && Integer.valueOf(2).equals(sts.getStatus().getReadyReplicas());
        });
    }

    /**
     * The local cluster brought up {@code --isolated} must really be: a ticker pod's epmd is NOT reachable from this
     * host, so the suite cannot pass by reaching pods behind the API server's back. Routed, it must be reachable.
     */
    @Test
    @Order(0)
    void thePodNetworkIsReachableFromTheHostOnlyWhenAskedFor(KubernetesClient client, TestNamespace ns,
            ClusterProvider cluster) {
        String asked = cluster.requestedPodNetwork().orElse(null);
        // only the local cluster has a pod network that can be asked for; on another cluster there is nothing to compare
        Assumptions.assumeTrue(cluster.localCluster().isPresent(), "not the local cluster: no pod network was asked for");
        assertTrue(asked != null, "prepare-e2e recorded no RELUP_E2E_POD_NETWORK for the local cluster");
        String ip = client.pods().inNamespace(ns.name()).withName("ticker-0").get().getStatus().getPodIP();
        PodNetwork.Probe probe = PodNetwork.probe(ip, 4369, 3_000);
        System.out.println("[e2e] asked for a " + asked + " pod network; ticker-0's epmd from the host: " + probe.how());
        assertEquals("routed".equals(asked), probe.reachable(), asked + " pod network, yet " + probe.how());
        assertEquals(probe.reachable(), cluster.podNetworkReachable(), "the provider's own measure agrees");
    }

    @Test
    @Order(1)
    void erlangNodesAnswerThroughTheApiServerWithTheCookieOfTheSecret(KubernetesClient client, TestNamespace ns) {
        String cookie = new String(Base64.getDecoder().decode(
                client.secrets().inNamespace(ns.name()).withName("ticker-cookie").get().getData().get("cookie")), StandardCharsets.UTF_8);
        List<Pod> pods = tickerPods(client, ns);
        assertEquals(2, pods.size());
        for (Pod pod : pods) {
            String node = "ticker@" + pod.getStatus().getPodIP();
            // epmd answers before the distribution is up: retry briefly
            List<ErlangNodes.Release> releases = Awaitility.await("which_releases on " + node).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> ErlangNodes.whichReleases(node, cookie), r -> !r.isEmpty());
            System.out.println("[e2e] " + node + " which_releases: " + releases);
            assertTrue(releases.stream().anyMatch(r -> r.name().equals("ticker") && r.version().equals("0.1.0")
                    && r.status().equals("permanent")), node + ": " + releases);
        }
    }

    @Test
    @Order(2)
    void execWorks(KubernetesClient client, TestNamespace ns) throws Exception {
        String out = exec(client, ns, "ticker-0", "sh", "-c", "echo exec-$((40 + 2)) && ls /opt/release/releases");
        assertTrue(out.contains("exec-42"), out);
        assertTrue(out.contains("0.1.0"), out);
    }

    @Test
    @Order(3)
    void clusterDnsResolvesServicesAndPodsAndTheApiServiceIsReachable(KubernetesClient client, TestNamespace ns) throws Exception {
        String n = ns.name();
        String apiIp = client.services().inNamespace("default").withName("kubernetes").get().getSpec().getClusterIP();
        String svcIp = client.services().inNamespace(n).withName("ticker-epmd").get().getSpec().getClusterIP();
        String pod1Ip = client.pods().inNamespace(n).withName("ticker-1").get().getStatus().getPodIP();
        String out = exec(client, ns, "ticker-0", "sh", "-c", String.join(" && ",
                "getent hosts kubernetes.default.svc.cluster.local",
                "getent hosts ticker-epmd",
                "getent hosts ticker-1.ticker." + n + ".svc.cluster.local",
                // TCP through the kubernetes Service (kube-proxy iptables rules) to the API server
                "bash -c 'exec 3<>/dev/tcp/kubernetes.default.svc/443' && echo api-service-reachable"));
        assertTrue(out.contains(apiIp + " "), "kubernetes.default: " + out);
        assertTrue(out.contains(svcIp + " "), "ticker-epmd: " + out);
        assertTrue(out.contains(pod1Ip + " "), "ticker-1.ticker: " + out);
        assertTrue(out.contains("api-service-reachable"), out);
    }

    @Test
    @Order(4)
    void jobWithInitContainersOfTwoImagesCompletes(KubernetesClient client, TestNamespace ns) {
        String n = ns.name();
        Job job = new JobBuilder().withNewMetadata().withName("two-images").endMetadata()
                .withNewSpec().withBackoffLimit(0).withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewVolume().withName("work").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewInitContainer().withName("from-busybox").withImage(BUSYBOX).withImagePullPolicy("Never")
                .withCommand("sh", "-c", "echo busybox-was-here > /work/a")
                .addNewVolumeMount().withName("work").withMountPath("/work").endVolumeMount().endInitContainer()
                .addNewInitContainer().withName("from-ticker").withImage(TICKER).withImagePullPolicy("Never")
                .withCommand("/bin/sh", "-c", "cat /work/a > /work/b && ls /opt/release/releases >> /work/b")
                .addNewVolumeMount().withName("work").withMountPath("/work").endVolumeMount().endInitContainer()
                .addNewContainer().withName("check").withImage(BUSYBOX).withImagePullPolicy("Never")
                .withCommand("sh", "-c", "cat /work/b && grep -q busybox-was-here /work/b && grep -q 0.1.0 /work/b")
                .addNewVolumeMount().withName("work").withMountPath("/work").endVolumeMount().endContainer()
                .endSpec().endTemplate().endSpec().build();
        client.batch().v1().jobs().inNamespace(n).resource(job).create();
        Awaitility.await("job two-images").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            var st = client.batch().v1().jobs().inNamespace(n).withName("two-images").get().getStatus();
            if (st != null && st.getFailed() != null && st.getFailed() > 0) {
                throw new AssertionError("job two-images failed");
            }
            return st != null && Integer.valueOf(1).equals(st.getSucceeded());
        });
    }

    /**
     * NetworkPolicies are enforced (the operator's per-release policy means nothing otherwise; on the local cluster
     * by relup-netpol, on kind by its own kube-network-policies, elsewhere by the CNI): a policy that lets only
     * pods labelled role=friend reach the ticker pods' epmd shuts out a pod without that label, in the same
     * namespace, and lets it in again once deleted; the friend gets through throughout.
     */
    @Test
    @Order(5)
    void networkPoliciesAreEnforced(KubernetesClient client, TestNamespace ns) throws Exception {
        String n = ns.name();
        for (String role : List.of("friend", "stranger")) {
            client.pods().inNamespace(n).resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                    .withName(role).withLabels(Map.of("role", role)).endMetadata()
                    .withNewSpec().withTerminationGracePeriodSeconds(0L).addNewContainer().withName("probe").withImage(TICKER)
                    .withImagePullPolicy("Never").withCommand("sleep", "3600").endContainer().endSpec().build()).create();
        }
        for (String role : List.of("friend", "stranger")) {
            client.pods().inNamespace(n).withName(role).waitUntilReady(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        String ip = client.pods().inNamespace(n).withName("ticker-0").get().getStatus().getPodIP();
        assertEquals("open", tcp(client, ns, "stranger", ip, 4369), "before any policy, the stranger reaches epmd");

        client.network().networkPolicies().inNamespace(n).resource(new io.fabric8.kubernetes.api.model.networking.v1
                .NetworkPolicyBuilder().withNewMetadata().withName("epmd-friends").endMetadata()
                .withNewSpec().withNewPodSelector().withMatchLabels(Map.of("app", "ticker")).endPodSelector()
                .withPolicyTypes("Ingress").addNewIngress()
                .addNewFrom().withNewPodSelector().withMatchLabels(Map.of("role", "friend")).endPodSelector().endFrom()
                .addNewPort().withProtocol("TCP").withNewPort(4369).endPort().endIngress().endSpec().build()).create();
        Awaitility.await("the stranger shut out of ticker-0's epmd").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).until(() -> tcp(client, ns, "stranger", ip, 4369).equals("closed"));
        assertEquals("open", tcp(client, ns, "friend", ip, 4369), "the friend still reaches epmd");

        client.network().networkPolicies().inNamespace(n).withName("epmd-friends").delete();
        Awaitility.await("the stranger let in again").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).until(() -> tcp(client, ns, "stranger", ip, 4369).equals("open"));
        client.pods().inNamespace(n).withLabel("role").delete();
    }

    /** "open" when {@code from} connects to ip:port within 4 s, else "closed" (refused, or a dropped SYN timing out). */
    static String tcp(KubernetesClient client, TestNamespace ns, String from, String ip, int port) throws Exception {
        String out = exec(client, ns, from, "bash", "-c",
                "timeout 4 bash -c 'exec 3<>/dev/tcp/" + ip + "/" + port + "' 2>/dev/null && echo open || echo closed");
        return out.trim();
    }

    private static List<Pod> tickerPods(KubernetesClient client, TestNamespace ns) {
        return client.pods().inNamespace(ns.name()).withLabel("app", "ticker").list().getItems();
    }

    static String exec(KubernetesClient client, TestNamespace ns, String pod, String... command) throws Exception {
        return PodExec.run(client, ns.name(), pod, command);
    }
}
