package dev.relup.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.PodSettings;
import dev.relup.operator.TickerReleases;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

class WorkloadTest {

    private static ErlangRelease cr() {
        ErlangRelease cr = TickerReleases.tick("ns");
        cr.getSpec().setReplicas(3);
        return cr;
    }

    @Test
    void statefulSetNeverRestartsPodsByItselfAndNamesTheNode() {
        StatefulSet sts = Workload.statefulSet(cr(), "ticker:0.1.0", PolicySettings.OFF);
        assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        Container c = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getCommand()).containsExactly("/opt/release/bin/ticker", "foreground");
        assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(c.getEnv()).extracting(EnvVar::getName).containsSubsequence("POD_IP", "RELEASE_NODE", "HOME")
                .doesNotContain("RELEASE_COOKIE");
        assertThat(c.getEnv().stream().filter(e -> e.getName().equals("RELEASE_NODE")).findFirst().orElseThrow().getValue())
                .isEqualTo("ticker@$(POD_IP)");
        assertThat(c.getVolumeMounts().get(0).getMountPath()).isEqualTo("/opt/release");
        Container seed = sts.getSpec().getTemplate().getSpec().getInitContainers().get(0);
        assertThat(seed.getCommand().get(2)).contains("if [ -e /seed/releases ]").contains("cd /opt/release && for f in").contains("cp -a \"$f\" /seed/ || exit 1")
                .doesNotContain("/opt/release/. ");
        assertThat(sts.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo("u-1");
    }

    @Test
    void theWorkloadHashIgnoresTheImageButNotTheSettings() {
        ErlangRelease a = cr();
        String h = Workload.workloadHash(a, PolicySettings.OFF);
        a.getSpec().setImage("ticker:0.2.0");
        a.getSpec().setVersion("0.2.0");
        assertThat(Workload.workloadHash(a, PolicySettings.OFF)).isEqualTo(h);
        assertThat(Workload.statefulSet(a, "x:1", PolicySettings.OFF).getMetadata().getAnnotations()).containsValue(h);
        a.getSpec().setReplicas(4);
        assertThat(Workload.workloadHash(a, PolicySettings.OFF)).isNotEqualTo(h);
    }

    /** The hash is compared across operator processes: the order a map was filled in must not matter. */
    @Test
    void theWorkloadHashDoesNotDependOnTheOrderOfMapEntries() {
        ErlangRelease a = cr();
        a.getSpec().setPod(new PodSettings());
        a.getSpec().getPod().getLabels().put("team", "a");
        a.getSpec().getPod().getLabels().put("tier", "b");
        ErlangRelease b = cr();
        b.getSpec().setPod(new PodSettings());
        b.getSpec().getPod().getLabels().put("tier", "b");
        b.getSpec().getPod().getLabels().put("team", "a");
        assertThat(Workload.workloadHash(a, PolicySettings.OFF)).isEqualTo(Workload.workloadHash(b, PolicySettings.OFF));
    }

    @Test
    void userEnvCannotOverrideTheNodeNameOrCookie() {
        ErlangRelease a = cr();
        PodSettings p = new PodSettings();
        p.getEnv().add(new EnvVarBuilder().withName("RELEASE_COOKIE").withValue("leak").build());
        p.getEnv().add(new EnvVarBuilder().withName("FOO").withValue("bar").build());
        a.getSpec().setPod(p);
        Container c = Workload.statefulSet(a, "ticker:0.1.0", PolicySettings.OFF).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertThat(c.getEnv()).extracting(EnvVar::getValue).doesNotContain("leak").contains("bar");
    }

    @Test
    void generatedCookieSecretIsRandomAndOwned() {
        var s1 = Workload.cookieSecret(cr());
        var s2 = Workload.cookieSecret(cr());
        assertThat(s1.getMetadata().getName()).isEqualTo("tick-cookie");
        assertThat(s1.getStringData().get("cookie")).hasSizeGreaterThan(20).isNotEqualTo(s2.getStringData().get("cookie"));
    }

    @Test
    void podsAreRestrictedByDefaultAndTheSpecReplacesIt() {
        var spec = Workload.statefulSet(cr(), "ticker:0.1.0", PolicySettings.OFF).getSpec().getTemplate().getSpec();
        assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(spec.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
        assertThat(spec.getSecurityContext().getFsGroup()).as("the release emptyDir is writable by the uid").isEqualTo(65532L);
        assertThat(spec.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        java.util.List<Container> all = new java.util.ArrayList<>(spec.getInitContainers());
        all.addAll(spec.getContainers());
        for (Container c : all) {
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
            assertThat(c.getSecurityContext().getRunAsNonRoot()).as(c.getName()).isTrue();
        }

        ErlangRelease a = cr();
        PodSettings p = new PodSettings();
        p.setSecurityContext(new io.fabric8.kubernetes.api.model.PodSecurityContextBuilder().withRunAsUser(1000L)
                .withRunAsNonRoot(true).build());
        p.setContainerSecurityContext(new io.fabric8.kubernetes.api.model.SecurityContextBuilder()
                .withReadOnlyRootFilesystem(true).build());
        a.getSpec().setPod(p);
        var own = Workload.statefulSet(a, "ticker:0.1.0", PolicySettings.OFF).getSpec().getTemplate().getSpec();
        assertThat(own.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
        assertThat(own.getSecurityContext().getFsGroup()).isNull();
        assertThat(own.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(Workload.workloadHash(a, PolicySettings.OFF)).isNotEqualTo(Workload.workloadHash(cr(), PolicySettings.OFF));
    }

    @Test
    void theCookieIsAFileOnNoCommandLineByDefault() {
        var spec = Workload.statefulSet(cr(), "ticker:0.1.0", PolicySettings.OFF).getSpec().getTemplate().getSpec();
        Container release = spec.getContainers().get(0);
        assertThat(release.getEnv()).extracting(EnvVar::getName).doesNotContain("RELEASE_COOKIE");
        assertThat(release.getEnv()).anyMatch(e -> e.getName().equals("HOME") && "/relup/home".equals(e.getValue()));
        assertThat(release.getVolumeMounts()).extracting(m -> m.getName() + ":" + m.getMountPath())
                .contains("erlang-home:/relup/home").noneMatch(m -> m.startsWith("cookie-secret"));
        Container cookie = spec.getInitContainers().stream().filter(i -> i.getName().equals("cookie")).findFirst().orElseThrow();
        assertThat(cookie.getImage()).isEqualTo("ticker:0.1.0");
        assertThat(cookie.getCommand().get(2)).contains("umask 277 && cp /relup/cookie-secret/cookie /relup/home/.erlang.cookie")
                .contains("if [ -e /relup/home/.erlang.cookie ]");
        assertThat(cookie.getSecurityContext().getRunAsNonRoot()).isTrue();
        var secret = spec.getVolumes().stream().filter(v -> v.getName().equals("cookie-secret")).findFirst().orElseThrow();
        assertThat(secret.getSecret().getSecretName()).isEqualTo("tick-cookie");
        var home = spec.getVolumes().stream().filter(v -> v.getName().equals("erlang-home")).findFirst().orElseThrow();
        assertThat(home.getEmptyDir().getMedium()).isEqualTo("Memory");
        String json = io.fabric8.kubernetes.client.utils.Serialization.asJson(spec);
        assertThat(json).doesNotContain("setcookie").doesNotContain("RELEASE_COOKIE");

        ErlangRelease a = cr();
        PodSettings p = new PodSettings();
        p.getEnv().add(new EnvVarBuilder().withName("HOME").withValue("/elsewhere").build());
        a.getSpec().setPod(p);
        Container c = Workload.statefulSet(a, "ticker:0.1.0", PolicySettings.OFF).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("HOME")).extracting(EnvVar::getValue).containsExactly("/relup/home");
    }

    @Test
    void olderImagesGetTheCookieInTheEnvironmentWhenAsked() {
        ErlangRelease a = cr();
        PodSettings p = new PodSettings();
        p.setCookieFrom(dev.relup.api.v1alpha1.CookieFrom.Env);
        a.getSpec().setPod(p);
        var spec = Workload.statefulSet(a, "ticker:0.1.0", PolicySettings.OFF).getSpec().getTemplate().getSpec();
        EnvVar cookie = spec.getContainers().get(0).getEnv().stream().filter(e -> e.getName().equals("RELEASE_COOKIE"))
                .findFirst().orElseThrow();
        assertThat(cookie.getValue()).isNull();
        assertThat(cookie.getValueFrom().getSecretKeyRef().getName()).isEqualTo("tick-cookie");
        assertThat(spec.getInitContainers()).extracting(Container::getName).containsExactly("seed-release");
        assertThat(Workload.workloadHash(a, PolicySettings.OFF)).isNotEqualTo(Workload.workloadHash(cr(), PolicySettings.OFF));
    }
}
