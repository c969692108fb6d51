package dev.relup.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.PodSettings;
import dev.relup.operator.TickerReleases;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;

/** The distribution port pinned through the environment, declared, and the user's flags kept around the pin. */
class DistributionPortTest {

    private static final String PIN_9100 = "-kernel inet_dist_listen_min 9100 inet_dist_listen_max 9100";

    private static ErlangRelease cr(PodSettings pod) {
        ErlangRelease cr = TickerReleases.tick("ns");
        cr.getSpec().setPod(pod);
        return cr;
    }

    private static Container release(ErlangRelease cr) {
        return Workload.statefulSet(cr, "ticker:0.1.0", PolicySettings.OFF).getSpec().getTemplate().getSpec().getContainers()
                .get(0);
    }

    private static Map<String, EnvVar> env(Container c) {
        assertThat(c.getEnv()).extracting(EnvVar::getName).doesNotHaveDuplicates();
        return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, Function.identity()));
    }

    @Test
    void byDefaultTheBeamListensOn9100PinnedFirstAndLastAndDeclaredAsDist() {
        ErlangRelease cr = cr(null);
        Container c = release(cr);
        assertThat(env(c).get("ERL_AFLAGS").getValue()).isEqualTo(PIN_9100);
        assertThat(env(c).get("ERL_ZFLAGS").getValue()).isEqualTo(PIN_9100);
        assertThat(env(c)).doesNotContainKeys("ERL_FLAGS", "ERL_DIST_PORT");
        assertThat(c.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort()).containsExactly("epmd:4369", "dist:9100");
        assertThat(Workload.headlessService(cr).getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("epmd", 4369), org.assertj.core.groups.Tuple.tuple("dist", 9100));
    }

    @Test
    void theSpecChoosesThePortAndAChangeIsAWorkloadChange() {
        PodSettings pod = new PodSettings();
        pod.setDistributionPort(9200);
        ErlangRelease cr = cr(pod);
        Container c = release(cr);
        assertThat(env(c).get("ERL_AFLAGS").getValue()).isEqualTo("-kernel inet_dist_listen_min 9200 inet_dist_listen_max 9200");
        assertThat(c.getPorts()).extracting(ContainerPort::getContainerPort).containsExactly(4369, 9200);
        assertThat(Workload.workloadHash(cr, PolicySettings.OFF)).isNotEqualTo(Workload.workloadHash(cr(null), PolicySettings.OFF));
        pod.setDistributionPort(9100);
        assertThat(Workload.workloadHash(cr, PolicySettings.OFF)).as("9100 written out is the default")
                .isEqualTo(Workload.workloadHash(cr(null), PolicySettings.OFF));
    }

    @Test
    void theUsersFlagsAreKeptInsideThePinAndErlFlagsIsTheirsAlone() {
        PodSettings pod = new PodSettings();
        pod.getEnv().add(new EnvVarBuilder().withName("ERL_AFLAGS").withValue("+S 2 -kernel inet_dist_listen_min 7000").build());
        pod.getEnv().add(new EnvVarBuilder().withName("ERL_ZFLAGS").withValue(" -kernel net_ticktime 20 ").build());
        pod.getEnv().add(new EnvVarBuilder().withName("ERL_FLAGS").withValue("-tally port 7171").build());
        Container c = release(cr(pod));
        Map<String, EnvVar> env = env(c);
        assertThat(env.get("ERL_AFLAGS").getValue()).isEqualTo(PIN_9100 + " +S 2 -kernel inet_dist_listen_min 7000");
        assertThat(env.get("ERL_ZFLAGS").getValue()).isEqualTo("-kernel net_ticktime 20 " + PIN_9100);
        assertThat(env.get("ERL_FLAGS").getValue()).isEqualTo("-tally port 7171");
        List<String> names = c.getEnv().stream().map(EnvVar::getName).toList();
        assertThat(names.indexOf("ERL_FLAGS")).as("the user's variables come first: a $(VAR) in their flags is expanded")
                .isLessThan(names.indexOf("ERL_AFLAGS"));
    }

    @Test
    void aUsersFlagsFromASecretOrConfigMapAreReferencedUnderAnotherName() {
        PodSettings pod = new PodSettings();
        pod.getEnv().add(new EnvVarBuilder().withName("ERL_ZFLAGS").withNewValueFrom().withNewConfigMapKeyRef()
                .withName("flags").withKey("z").endConfigMapKeyRef().endValueFrom().build());
        Container c = release(cr(pod));
        Map<String, EnvVar> env = env(c);
        assertThat(env.get("RELUP_USER_ERL_ZFLAGS").getValueFrom().getConfigMapKeyRef().getName()).isEqualTo("flags");
        assertThat(env.get("ERL_ZFLAGS").getValue()).isEqualTo("$(RELUP_USER_ERL_ZFLAGS) " + PIN_9100);
        List<String> names = c.getEnv().stream().map(EnvVar::getName).toList();
        assertThat(names.indexOf("RELUP_USER_ERL_ZFLAGS")).as("the kubelet expands only variables defined before")
                .isLessThan(names.indexOf("ERL_ZFLAGS"));
    }

    @Test
    void aUserTcpPortOnTheDistributionPortIsNotDeclaredTwice() {
        PodSettings pod = new PodSettings();
        pod.getPorts().add(new ContainerPortBuilder().withName("metrics").withContainerPort(9100).build());
        pod.getPorts().add(new ContainerPortBuilder().withName("stats").withContainerPort(9100).withProtocol("UDP").build());
        pod.getPorts().add(new ContainerPortBuilder().withName("tally").withContainerPort(7070).build());
        assertThat(release(cr(pod)).getPorts()).extracting(ContainerPort::getName).containsExactly("epmd", "dist", "stats", "tally");
    }
}
