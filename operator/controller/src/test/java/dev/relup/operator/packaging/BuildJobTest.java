package dev.relup.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.HealthCheck;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.Purge;
import dev.relup.api.v1alpha1.PurgeMode;
import dev.relup.operator.TickerReleases;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

class BuildJobTest {

    private static ErlangRelease cr() {
        ErlangRelease cr = TickerReleases.tick("ns");
        cr.getSpec().setVersion("0.2.0");
        cr.getSpec().setImage("ticker:0.2.0");
        return cr;
    }

    private static Move move() {
        Move m = new Move();
        m.setFrom("0.1.0");
        m.setTo("0.2.0");
        m.setFromImage("ticker:0.1.0");
        m.setToImage("ticker:0.2.0");
        return m;
    }

    private static final BuildJob.Settings SETTINGS = new BuildJob.Settings("relup-tools:dev", Duration.ofMinutes(15),
            Duration.ofMinutes(10), Duration.ofHours(1));

    @Test
    void initContainersBringToolsAndBothReleasesThenBuildWithTheTargetsErts() {
        Job job = BuildJob.desired(cr(), move(), "tick-relup-x", SETTINGS);
        var spec = job.getSpec().getTemplate().getSpec();
        assertThat(spec.getInitContainers()).extracting(Container::getName)
                .containsExactly("tools", "from-release", "to-release", "build", "rehearse");
        assertThat(spec.getInitContainers()).extracting(Container::getImage)
                .containsExactly("relup-tools:dev", "ticker:0.1.0", "ticker:0.2.0", "ticker:0.2.0", "ticker:0.1.0");
        assertThat(spec.getInitContainers().get(1).getCommand()).startsWith("/tools/busybox");
        assertThat(spec.getInitContainers().get(1).getCommand().get(3)).contains("cp -a /opt/release/. /work/from/");
        String build = spec.getInitContainers().get(3).getCommand().get(3);
        assertThat(build).contains("/work/to/erts-*/bin/escript").contains("/tools/relup_builder --from /work/from --to /work/to --out /work/out")
                .contains("/dev/termination-log");
        assertThat(spec.getContainers()).extracting(Container::getName).containsExactly("serve");
        assertThat(spec.getRestartPolicy()).isEqualTo("Never");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(900L);
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
        assertThat(job.getMetadata().getLabels()).containsEntry("relup.dev/from-version", "0.1.0")
                .containsEntry("relup.dev/to-version", "0.2.0").containsKey("relup.dev/spec-hash")
                .containsEntry("relup.dev/erlangrelease", "tick");
        assertThat(spec.getInitContainers()).allMatch(c -> "IfNotPresent".equals(c.getImagePullPolicy()));
    }

    @Test
    void theMainContainerServesTheOutputReadOnlyOverHttpOnAHighPortUntilTheOperatorSaysDone() {
        var spec = BuildJob.desired(cr(), move(), "j", SETTINGS).getSpec().getTemplate().getSpec();
        Container serve = spec.getContainers().get(0);
        assertThat(serve.getName()).isEqualTo("serve");
        assertThat(serve.getImage()).isEqualTo("relup-tools:dev");
        assertThat(serve.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getContainerPort()).isEqualTo(8080).isGreaterThan(1024);
            assertThat(p.getName()).isEqualTo("build-output");
            assertThat(p.getProtocol()).isEqualTo("TCP");
        });
        assertThat(serve.getCommand()).startsWith("/busybox", "sh", "-c");
        String script = serve.getCommand().get(3);
        assertThat(script)
                .startsWith("B=/busybox\nS=/tmp/serve\n")
                .contains("$B rm -rf $S /tmp/fetched && $B mkdir -p $S/cgi-bin")
                .contains("for f in report.json rehearsal.json ticker-0.2.0.tar.gz; do $B ln -s /work/out/$f $S/$f")
                .contains("$B httpd -f -p 8080 -h $S -c /dev/null &")
                .contains("while [ ! -f /tmp/fetched ] && [ $i -lt 600 ]; do")
                .contains("/busybox touch /tmp/fetched")
                .contains("the build output server stopped")
                .doesNotContain("/work/out/fetched");
        assertThat(serve.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/work", "/tmp");
        assertThat(serve.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(serve.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(BuildJob.DONE_PATH).isEqualTo("/cgi-bin/done");
    }

    @Test
    void theRehearsalRunsAfterTheBuildUnderTheFromReleasesErtsOnACopy() {
        var spec = BuildJob.desired(cr(), move(), "j", SETTINGS).getSpec().getTemplate().getSpec();
        assertThat(spec.getInitContainers().get(0).getCommand().get(3)).contains("cp /busybox /relup_builder /relup_rehearse /tools/");
        Container rehearse = spec.getInitContainers().get(4);
        assertThat(rehearse.getImage()).isEqualTo("ticker:0.1.0");
        assertThat(rehearse.getCommand()).startsWith("/tools/busybox", "sh", "-c");
        String script = rehearse.getCommand().get(3);
        assertThat(script)
                .contains("export PATH=\"${PATH:-/usr/bin:/bin}:/tools/bin\"")
                .contains("cp -a /work/from /work/rehearse")
                .contains("ls -d /work/rehearse/erts-*/bin/escript")
                .contains("\"$ESCRIPT\" /tools/relup_rehearse --root /work/rehearse --package /work/out/ticker-0.2.0.tar.gz"
                        + " --release ticker --from 0.1.0 --to 0.2.0 > /work/out/rehearsal.json")
                .contains("grep -q '\"hot\":false' /work/out/report.json")
                .contains("/dev/termination-log")
                .doesNotContain("--health");
        assertThat(rehearse.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/tools", "/work", "/tmp");
        assertThat(rehearse.getSecurityContext()).isEqualTo(spec.getInitContainers().get(3).getSecurityContext());
    }

    @Test
    void theHealthCheckOfTheSpecIsTheRehearsalsAndIsPartOfTheBuild() {
        ErlangRelease cr = cr();
        HealthCheck h = new HealthCheck();
        h.setModule("ticker_server");
        h.setFunction("health");
        h.setArgs("[5000, \"it's\"]");
        h.setTimeoutSeconds(7);
        String before = BuildNames.jobName("tick", move(), cr.getSpec());
        cr.getSpec().setHealthCheck(h);
        String script = BuildJob.desired(cr, move(), "j", SETTINGS).getSpec().getTemplate().getSpec().getInitContainers()
                .get(4).getCommand().get(3);
        assertThat(script).contains("--to 0.2.0 --health 'ticker_server:health' --health-args '[5000, \"it'\\''s\"]'"
                + " --health-timeout 7 > /work/out/rehearsal.json");
        assertThat(BuildNames.jobName("tick", move(), cr.getSpec())).as("another check: rehearsed again").isNotEqualTo(before);
    }

    @Test
    void rehearseFalseBuildsOnlyAsBeforeRehearsalsExisted() {
        ErlangRelease cr = cr();
        cr.getSpec().setRehearse(false);
        var spec = BuildJob.desired(cr, move(), "j", SETTINGS).getSpec().getTemplate().getSpec();
        assertThat(spec.getInitContainers()).extracting(Container::getName)
                .containsExactly("tools", "from-release", "to-release", "build");
        assertThat(spec.getInitContainers().get(0).getCommand().get(3)).doesNotContain("relup_rehearse");
        assertThat(BuildNames.jobName("tick", move(), cr.getSpec())).isNotEqualTo(BuildNames.jobName("tick", move(), cr().getSpec()));
    }

    @Test
    void purgeOptionsReachTheBuilder() {
        ErlangRelease cr = cr();
        Purge p = new Purge();
        p.setMode(PurgeMode.brutal);
        p.getModules().put("ticker_server", PurgeMode.soft);
        cr.getSpec().setPurge(p);
        String build = BuildJob.desired(cr, move(), "j", SETTINGS).getSpec().getTemplate().getSpec().getInitContainers()
                .get(3).getCommand().get(3);
        assertThat(build).contains("--purge brutal").contains("--purge-module 'ticker_server=soft'");
        assertThat(BuildNames.jobName("tick", move(), cr.getSpec())).isNotEqualTo(BuildNames.jobName("tick", move(), null));
    }

    @Test
    void withoutSpecPurgeTheBuilderIsToldSoftAndPerModuleBrutalStaysPerModule() {
        String none = BuildJob.desired(cr(), move(), "j", SETTINGS).getSpec().getTemplate().getSpec()
                .getInitContainers().get(3).getCommand().get(3);
        assertThat(none).contains("--out /work/out --purge soft").doesNotContain("--purge-module");
        ErlangRelease cr = cr();
        Purge p = new Purge(); // mode defaults to soft, as the CRD does
        p.getModules().put("ticker_app", PurgeMode.brutal);
        cr.getSpec().setPurge(p);
        String one = BuildJob.desired(cr, move(), "j", SETTINGS).getSpec().getTemplate().getSpec()
                .getInitContainers().get(3).getCommand().get(3);
        assertThat(one).contains("--purge soft --purge-module 'ticker_app=brutal'");
    }

    @Test
    void jobNamesAreDeterministicAndShort() {
        String a = BuildNames.jobName("tick", move(), null);
        assertThat(a).isEqualTo(BuildNames.jobName("tick", move(), null)).startsWith("tick-relup-");
        String longName = BuildNames.jobName("x".repeat(70), move(), null);
        assertThat(longName.length()).isLessThanOrEqualTo(63);
        Move other = move();
        other.setToImage("ticker:0.2.0-rebuilt");
        assertThat(BuildNames.jobName("tick", other, null)).isNotEqualTo(a);
    }

    @Test
    void everyContainerIsRestrictedReadOnlyAndTheJobHasNoToken() {
        var spec = BuildJob.desired(cr(), move(), "j", SETTINGS).getSpec().getTemplate().getSpec();
        assertThat(spec.getAutomountServiceAccountToken()).isFalse();
        assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(spec.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
        assertThat(spec.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        java.util.List<Container> all = new java.util.ArrayList<>(spec.getInitContainers());
        all.addAll(spec.getContainers());
        assertThat(all).hasSize(6);
        for (Container c : all) {
            var sc = c.getSecurityContext();
            assertThat(sc.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
            assertThat(sc.getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
            assertThat(sc.getRunAsNonRoot()).as(c.getName()).isTrue();
            assertThat(sc.getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
            assertThat(sc.getCapabilities().getAdd()).as(c.getName()).isNullOrEmpty();
            assertThat(c.getVolumeMounts()).as(c.getName()).anyMatch(m -> m.getMountPath().equals("/tmp"));
            assertThat(c.getEnv()).as(c.getName()).anyMatch(e -> e.getName().equals("HOME") && e.getValue().equals("/tmp"));
        }
        assertThat(spec.getVolumes()).allMatch(v -> v.getEmptyDir() != null);
    }

    @Test
    void theJobCarriesNoCookie() {
        String json = io.fabric8.kubernetes.client.utils.Serialization.asJson(BuildJob.desired(cr(), move(), "j", SETTINGS));
        assertThat(json).doesNotContainIgnoringCase("cookie");
    }
}
