package dev.relup.operator.packaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.Purge;
import dev.relup.api.v1alpha1.PurgeMode;
import dev.relup.operator.Labels;
import dev.relup.operator.workload.Restricted;
import dev.relup.operator.workload.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

/**
 * The Job that builds the relup package of one move. Nothing in it needs a shell or tools in the release images:
 * <ol>
 *   <li>{@code tools} (tools image): copies the static busybox and the relup_builder and relup_rehearse escripts
 *       into {@code /tools};</li>
 *   <li>{@code from-release} (from-image): {@code /tools/busybox cp -a <releaseDir>/. /work/from/};</li>
 *   <li>{@code to-release} (to-image): likewise into {@code /work/to};</li>
 *   <li>{@code build} (to-image): the builder under the to-release's own ERTS,
 *       {@code /work/to/erts-*&#47;bin/escript /tools/relup_builder --from /work/from --to /work/to --out /work/out};
 *       its one-line error (or "ok") goes to the termination log;</li>
 *   <li>{@code rehearse} (from-image; unless {@code spec.rehearse} is false): the upgrade tried on a throwaway node
 *       booted from a copy of the from-release ({@link RehearsalContainer}), into {@code /work/out/rehearsal.json};</li>
 *   <li>every container: the restricted profile (uid 65532, no capability, read-only root filesystem, HOME=/tmp on
 *       an emptyDir) and no ServiceAccount token;</li>
 *   <li>main container {@code serve} (tools image): busybox httpd serves the report, the rehearsal and the package
 *       read-only on {@link #SERVE_PORT} (a high port: it runs as uid 65532) for the operator to pull over the pod
 *       network; a GET of {@link #DONE_PATH} after the pull (or the end of {@code relup.build.fetch-wait}) stops it
 *       and the container exits 0, so the Job completes as it did when the operator exec'd into it. The server's
 *       root is a directory of its own ({@link #SERVE_DIR}) linking those three files only: nothing else the build
 *       wrote (an {@code httpd.conf}, a {@code cgi-bin/}) is served or read, and {@code -c /dev/null} reads no
 *       configuration.</li>
 * </ol>
 */
public final class BuildJob {

    public static final String SERVE_CONTAINER = "serve";
    public static final String BUILD_CONTAINER = "build";
    public static final String OUT = "/work/out";
    public static final String REPORT_FILE = "report.json";
    public static final String REHEARSAL_FILE = "rehearsal.json";
    public static final String REPORT = OUT + "/" + REPORT_FILE;
    public static final String REHEARSAL = OUT + "/" + REHEARSAL_FILE;
    /** The output server's port: high, the server is not root. */
    public static final int SERVE_PORT = 8080;
    public static final String SERVE_PORT_NAME = "build-output";
    /** The server's root: on the pod's own /tmp emptyDir, filled by the serve container only. */
    public static final String SERVE_DIR = "/tmp/serve";
    /** GET here: the operator has the output, the server stops. */
    public static final String DONE_PATH = "/cgi-bin/done";
    /** Written by {@link #DONE_PATH}'s script, outside what the server serves and what the build wrote. */
    static final String FETCHED = "/tmp/fetched";
    public static final String BUSYBOX_IN_TOOLS_IMAGE = "/busybox";
    static final String TMP_VOLUME = "tmp";

    private BuildJob() {}

    public record Settings(String toolsImage, Duration deadline, Duration fetchWait, Duration ttl) {}

    public static Job desired(ErlangRelease cr, Move move, String jobName, Settings settings) {
        String releaseDir = cr.getSpec().getReleaseDir() == null ? "/opt/release" : cr.getSpec().getReleaseDir();
        VolumeMount tools = new VolumeMountBuilder().withName("tools").withMountPath("/tools").build();
        VolumeMount work = new VolumeMountBuilder().withName("work").withMountPath("/work").build();

        Map<String, String> labels = new LinkedHashMap<>(Workload.labels(cr));
        labels.put(Labels.COMPONENT, Labels.COMPONENT_BUILD);
        labels.put(Labels.FROM_VERSION, BuildNames.labelValue(move.getFrom()));
        labels.put(Labels.TO_VERSION, BuildNames.labelValue(move.getTo()));
        labels.put(Labels.SPEC_HASH, BuildNames.specHash(move, cr.getSpec()));

        Optional<RehearsalOptions> rehearsal = RehearsalOptions.of(cr.getSpec());
        // a tools image older than the rehearsal still builds when rehearsal is off
        String escripts = rehearsal.isPresent() ? "/relup_builder /relup_rehearse" : "/relup_builder";
        Container toolsInit = new ContainerBuilder()
                .withName("tools").withImage(settings.toolsImage()).withImagePullPolicy("IfNotPresent")
                .withCommand(BUSYBOX_IN_TOOLS_IMAGE, "sh", "-c",
                        "/busybox cp /busybox " + escripts + " /tools/ && /busybox mkdir -p /tools/bin"
                                + " && /tools/busybox --install -s /tools/bin")
                .withVolumeMounts(tools).build();
        Container from = copyRelease("from-release", move.getFromImage(), releaseDir, "/work/from", tools, work);
        Container to = copyRelease("to-release", move.getToImage(), releaseDir, "/work/to", tools, work);
        String build = String.join("\n",
                "B=/tools/busybox",
                "export PATH=\"${PATH:-/usr/bin:/bin}:/tools/bin\"",
                "$B mkdir -p " + OUT,
                "ESCRIPT=$($B ls -d /work/to/erts-*/bin/escript 2>/dev/null | $B head -n 1)",
                "if [ -z \"$ESCRIPT\" ]; then echo \"the to-image has no erts-*/bin/escript under " + releaseDir
                        + ": it must be a relx release with ERTS included\" | $B tee /dev/termination-log >&2; exit 2; fi",
                "if \"$ESCRIPT\" /tools/relup_builder --from /work/from --to /work/to --out " + OUT + purgeArgs(cr.getSpec().getPurge())
                        + " > " + REPORT + " 2> " + OUT + "/build.err; then",
                "  $B cat " + OUT + "/build.err >&2; echo ok > /dev/termination-log; exit 0",
                "else",
                "  rc=$?; $B cat " + OUT + "/build.err >&2",
                "  { $B tail -n 5 " + OUT + "/build.err; echo \"(exit $rc)\"; } | $B tail -c 3500 > /dev/termination-log; exit $rc",
                "fi");
        Container builder = new ContainerBuilder()
                .withName(BUILD_CONTAINER).withImage(move.getToImage()).withImagePullPolicy("IfNotPresent")
                .withCommand("/tools/busybox", "sh", "-c", build)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withVolumeMounts(tools, work).build();
        List<Container> init = new ArrayList<>(List.of(toolsInit, from, to, builder));
        rehearsal.ifPresent(o -> init.add(RehearsalContainer.of(cr, move, o, tools, work)));
        init.forEach(BuildJob::restrict);
        long waitSeconds = Math.max(10, settings.fetchWait().toSeconds());
        Container serve = new ContainerBuilder()
                .withName(SERVE_CONTAINER).withImage(settings.toolsImage()).withImagePullPolicy("IfNotPresent")
                .withCommand(BUSYBOX_IN_TOOLS_IMAGE, "sh", "-c", serveScript(cr.getSpec().getRelease(), move.getTo(), waitSeconds))
                .addNewPort().withName(SERVE_PORT_NAME).withContainerPort(SERVE_PORT).withProtocol("TCP").endPort()
                .withVolumeMounts(work).build();
        restrict(serve);

        return new JobBuilder()
                .withNewMetadata()
                .withName(jobName)
                .withNamespace(cr.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(Workload.owner(cr))
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(0)
                .withActiveDeadlineSeconds(settings.deadline().toSeconds())
                .withTtlSecondsAfterFinished((int) settings.ttl().toSeconds())
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withEnableServiceLinks(false)
                // the Job talks to nothing in the API: no token of the namespace's default ServiceAccount
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(Restricted.pod())
                .addNewVolume().withName("tools").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("work").withNewEmptyDir().endEmptyDir().endVolume()
                .withInitContainers(init)
                .withContainers(serve)
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * The main container's script: links the output into the server's root, serves it until the operator GETs
     * {@link #DONE_PATH} or {@code waitSeconds} pass, then exits 0. A server that dies is the Job's failure.
     * Release and version are CRD-validated (atom, version pattern): safe in a command line as they are.
     */
    static String serveScript(String release, String to, long waitSeconds) {
        String pkg = release + "-" + to + ".tar.gz";
        String b = BUSYBOX_IN_TOOLS_IMAGE;
        return String.join("\n",
                "B=" + b,
                "S=" + SERVE_DIR,
                "$B rm -rf $S " + FETCHED + " && $B mkdir -p $S/cgi-bin || exit 1",
                "for f in " + REPORT_FILE + " " + REHEARSAL_FILE + " " + pkg + "; do $B ln -s " + OUT + "/$f $S/$f || exit 1; done",
                "{ echo '#!" + b + " sh'; echo 'echo Content-Type: text/plain; echo; echo done; " + b + " touch " + FETCHED
                        + "'; } > $S/cgi-bin/done && $B chmod 0555 $S/cgi-bin/done || exit 1",
                "$B httpd -f -p " + SERVE_PORT + " -h $S -c /dev/null &",
                "H=$!",
                "i=0",
                "while [ ! -f " + FETCHED + " ] && [ $i -lt " + waitSeconds + " ]; do",
                "  if ! $B kill -0 $H 2>/dev/null; then echo 'the build output server stopped' | $B tee /dev/termination-log >&2; exit 1; fi",
                "  $B sleep 1; i=$((i+1))",
                "done",
                "$B kill $H",
                "wait $H 2>/dev/null", // gone before the script ends, not a moment after
                "if [ -f " + FETCHED + " ]; then echo 'package fetched by the operator'; else echo 'not fetched in time'; fi");
    }

    /**
     * Restricted and read-only: every container writes only to the Job's emptyDirs ({@code /tools}, {@code /work}, and
     * {@code /tmp}, also its HOME: erlexec wants a HOME, and the images may have none for the Job's uid).
     */
    private static void restrict(Container c) {
        c.setSecurityContext(Restricted.container(true));
        List<VolumeMount> mounts = new ArrayList<>(c.getVolumeMounts() == null ? List.of() : c.getVolumeMounts());
        mounts.add(new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build());
        c.setVolumeMounts(mounts);
        List<EnvVar> env = new ArrayList<>(c.getEnv() == null ? List.of() : c.getEnv());
        env.add(new EnvVarBuilder().withName("HOME").withValue("/tmp").build());
        c.setEnv(env);
    }

    private static Container copyRelease(String name, String image, String releaseDir, String into, VolumeMount tools,
            VolumeMount work) {
        return new ContainerBuilder()
                .withName(name).withImage(image).withImagePullPolicy("IfNotPresent")
                .withCommand("/tools/busybox", "sh", "-c",
                        "/tools/busybox mkdir -p " + into + " && /tools/busybox cp -a " + releaseDir + "/. " + into + "/"
                                + " || { echo \"" + image + " has no release at " + releaseDir + "\" > /dev/termination-log; exit 1; }")
                .withVolumeMounts(tools, work).build();
    }

    /** Always names the mode: the API's default (soft) holds whatever default the builder in the image has. */
    static String purgeArgs(Purge purge) {
        List<String> args = new ArrayList<>();
        args.add("--purge " + (purge == null || purge.getMode() == null ? PurgeMode.soft : purge.getMode()).name());
        if (purge != null && purge.getModules() != null) {
            purge.getModules().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> args.add("--purge-module '" + e.getKey().replace("'", "") + "=" + e.getValue().name() + "'"));
        }
        return " " + String.join(" ", args);
    }
}
