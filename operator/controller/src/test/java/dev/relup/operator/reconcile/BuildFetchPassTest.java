package dev.relup.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.relup.engine.node.NodeRoutes;
import dev.relup.operator.Labels;
import dev.relup.operator.decide.Action;
import dev.relup.operator.node.PodRoutes;
import dev.relup.operator.packaging.BuildJob;
import dev.relup.operator.packaging.FakeOutputServer;
import dev.relup.operator.packaging.PackageCache;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/**
 * Whole passes through the build Job: created, its pod serving its output, the package pulled over HTTP from the
 * pod's IP (a loopback server here, reached through the harness's {@link PodRoutes}), verified, the move carried out.
 * No exec anywhere: the mock API server would refuse one, and a server the operator cannot reach fails the move.
 */
@EnableKubernetesMockClient(crud = true)
class BuildFetchPassTest {

    KubernetesClient client;
    @TempDir
    Path cacheDir;
    PassHarness h;
    FakeOutputServer server;

    @BeforeEach
    void runningOn010() throws IOException {
        server = new FakeOutputServer();
        h = new PassHarness(client, cacheDir);
        h.pass();
        h.podsRunning("0.1.0");
        h.passUntil(r -> r.action() instanceof Action.Idle, 10);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The move to 0.2.0 started and its Job created; returns the Job's name. */
    private String buildStarted(PodRoutes routes) {
        h.routes = routes;
        h.restartOperator();
        h.specVersion("0.2.0");
        h.passUntil(r -> r.action() instanceof Action.StartBuild, 4);
        String job = h.cr.getStatus().getMove().getBuildJob();
        assertThat(client.batch().v1().jobs().inNamespace(PassHarness.NS).withName(job).get()).isNotNull();
        assertThat(h.pass().action()).as("no pod yet").isInstanceOf(Action.Wait.class);
        return job;
    }

    /** The Job's pod as the kubelet reports it once its init containers are done: serve running on its IP. */
    private String podServing(String job) {
        String pod = job + "-x7k2p";
        Map<String, String> labels = new HashMap<>(client.batch().v1().jobs().inNamespace(PassHarness.NS).withName(job).get()
                .getSpec().getTemplate().getMetadata().getLabels());
        labels.put("job-name", job);
        client.pods().inNamespace(PassHarness.NS).resource(new PodBuilder()
                .withNewMetadata().withName(pod).withNamespace(PassHarness.NS).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName(BuildJob.SERVE_CONTAINER).withImage("relup-tools:dev").endContainer()
                .endSpec()
                .withNewStatus().withPodIP("10.244.0.77").addNewContainerStatus().withName(BuildJob.SERVE_CONTAINER)
                .withNewState().withNewRunning().withStartedAt(h.now.toString()).endRunning().endState()
                .endContainerStatus().endStatus().build()).create();
        return pod;
    }

    @Test
    void thePackageIsPulledFromTheJobsPodOverHttpThenTheServerIsToldDoneAndTheMoveGoesHot() throws IOException {
        byte[] pkg = "the relup package 0.1.0 -> 0.2.0".getBytes(StandardCharsets.UTF_8);
        Path f = Files.write(cacheDir.resolve("expected"), pkg);
        server.files.put("/report.json", ("{\"release\":\"ticker\",\"from\":\"0.1.0\",\"to\":\"0.2.0\","
                + "\"package\":\"/work/out/ticker-0.2.0.tar.gz\",\"sha256\":\"" + PackageCache.sha256(f) + "\",\"size\":"
                + pkg.length + ",\"hot\":true,\"reasons\":[]}").getBytes(StandardCharsets.UTF_8));
        server.files.put("/rehearsal.json", RehearsalPassTest.resource("passed.json").getBytes(StandardCharsets.UTF_8));
        server.files.put("/ticker-0.2.0.tar.gz", pkg);
        Files.delete(f);

        String job = buildStarted(server.routes());
        String pod = podServing(job);
        ReleasePass.Result fetched = h.pass();
        assertThat(fetched.action()).isInstanceOf(Action.FetchPackage.class);
        assertThat(server.requests).containsExactly("/report.json", "/rehearsal.json", "/ticker-0.2.0.tar.gz",
                BuildJob.DONE_PATH);
        assertThat(server.dialed).allMatch(d -> d.equals(PassHarness.NS + "/" + pod + " 10.244.0.77:" + BuildJob.SERVE_PORT));
        assertThat(h.events("PackageReady")).singleElement().asString().contains("hot-upgradable");
        assertThat(h.cr.getStatus().getMove().getPackageSha256()).hasSize(64);

        h.passUntil(r -> r.action() instanceof Action.Idle, 60);
        assertThat(h.cr.getStatus().getCurrentVersion()).isEqualTo("0.2.0");
        assertThat(h.calls("ticker-0")).contains("ticker-0 transfer 0.2.0", "ticker-0 install 0.2.0");
        assertThat(server.requests).as("pulled once: the package is in the cache").hasSize(4);
    }

    @Test
    void anOutputServerTheOperatorCannotReachIsWaitedForAMinuteThenFailsTheMoveSayingWhatToCheck() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        PodRoutes nowhere = (ns, pod) -> (host, port) -> new NodeRoutes.Route(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), closed), () -> { });
        String job = buildStarted(nowhere);
        podServing(job);
        ReleasePass.Result starting = h.pass();
        assertThat(starting.action()).isInstanceOfSatisfying(Action.Wait.class, w -> assertThat(w.message())
                .startsWith("waiting for the output server of Job " + job + ": cannot connect to the build output server"));
        assertThat(h.cr.getStatus().getMove().getFailure()).isNull();

        h.now = h.now.plusSeconds(61);
        ReleasePass.Result failed = h.pass();
        assertThat(failed.action()).isInstanceOfSatisfying(Action.FailMove.class, m -> {
            assertThat(m.reason()).isEqualTo("BuildFailed");
            assertThat(m.message()).contains("10.244.0.77:8080").contains("after it started: the operator must reach the"
                    + " build Job's pods on TCP port 8080").endsWith("the pods keep running 0.1.0");
        });
        assertThat(h.nodes.calls.stream().filter(c -> !c.endsWith("which_releases"))).as("no pod touched").isEmpty();
    }
}
