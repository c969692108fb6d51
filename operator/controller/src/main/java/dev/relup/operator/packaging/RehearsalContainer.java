package dev.relup.operator.packaging;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.Move;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;

/**
 * The build Job's {@code rehearse} init container, after {@code build}: the from-image, because the throwaway node
 * boots the from-release with its own ERTS (linked against that image's libc). It works on a writable copy of
 * {@code /work/from} (the start script writes vm.args, release_handler writes releases/), finds the start script's
 * awk, sed, grep... in the image first and in the tools' busybox after, and leaves {@code rehearsal.json} next to the
 * report. A package the build says is not hot is not rehearsed: the decision does not look at it.
 */
final class RehearsalContainer {

    static final String NAME = "rehearse";
    static final String COPY = "/work/rehearse";

    private RehearsalContainer() {}

    static Container of(ErlangRelease cr, Move move, RehearsalOptions options, VolumeMount tools, VolumeMount work) {
        String release = cr.getSpec().getRelease();
        // release and versions are CRD-validated (atom, version pattern): safe in a command line as they are
        String pkg = BuildJob.OUT + "/" + release + "-" + move.getTo() + ".tar.gz";
        String out = BuildJob.OUT;
        String script = String.join("\n",
                "B=/tools/busybox",
                "export PATH=\"${PATH:-/usr/bin:/bin}:/tools/bin\" HOME=\"${HOME:-/tmp}\"",
                "if $B grep -q '\"hot\":false' " + BuildJob.REPORT + "; then",
                "  echo 'not hot: not rehearsed' > /dev/termination-log; exit 0",
                "fi",
                // the report names another package: the operator refuses the report itself, with a better message
                "if [ ! -f " + pkg + " ]; then echo 'no " + pkg + ": not rehearsed' > /dev/termination-log; exit 0; fi",
                "$B rm -rf " + COPY + " && $B cp -a /work/from " + COPY + " || exit 3",
                "ESCRIPT=$($B ls -d " + COPY + "/erts-*/bin/escript 2>/dev/null | $B head -n 1)",
                "if [ -z \"$ESCRIPT\" ]; then echo \"the from-image " + move.getFromImage() + " has no erts-*/bin/escript:"
                        + " it must be a relx release with ERTS included\" | $B tee /dev/termination-log >&2; exit 2; fi",
                "if \"$ESCRIPT\" /tools/relup_rehearse --root " + COPY + " --package " + pkg + " --release " + release
                        + " --from " + move.getFrom() + " --to " + move.getTo() + options.healthFlags()
                        + " > " + BuildJob.REHEARSAL + " 2> " + out + "/rehearsal.err; then",
                "  $B cat " + out + "/rehearsal.err >&2; $B rm -rf " + COPY,
                "  echo \"rehearsal $($B grep -o '\"result\":\"[a-z]*\",\"steps\"' " + BuildJob.REHEARSAL
                        + " | $B cut -d'\"' -f4)\" > /dev/termination-log; exit 0",
                "else",
                "  rc=$?; $B cat " + out + "/rehearsal.err >&2",
                "  { echo 'the rehearsal could not run:'; $B tail -n 5 " + out + "/rehearsal.err; echo \"(exit $rc)\"; }"
                        + " | $B tail -c 3500 > /dev/termination-log; exit $rc",
                "fi");
        return new ContainerBuilder()
                .withName(NAME).withImage(move.getFromImage()).withImagePullPolicy("IfNotPresent")
                .withCommand("/tools/busybox", "sh", "-c", script)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withVolumeMounts(tools, work).build();
    }
}
