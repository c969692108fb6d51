package dev.relup.operator.packaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.relup.engine.build.BuildReport;
import dev.relup.operator.observe.BuildObservation;
import dev.relup.operator.observe.BuildObservation.Phase;
import dev.relup.operator.observe.CachedPackage;
import dev.relup.operator.observe.ClusterView;
import dev.relup.operator.observe.PodProblems;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;

/** Creates build Jobs, reads their state, and copies their package out (kubectl-exec style, binary safe). */
public final class BuildJobs {

    private static final Logger LOG = Logger.getLogger(BuildJobs.class);

    private final KubernetesClient client;
    private final PackageCache cache;

    public BuildJobs(KubernetesClient client, PackageCache cache) {
        this.client = client;
        this.cache = cache;
    }

    /**
     * Creates the Job. A finished Job of the same name (its package was lost) is deleted first; a running one is
     * kept (a pass that read a stale status must not kill a build in progress).
     */
    /** Returns the Job as created (or the running one kept). */
    public Job create(Job job) {
        String ns = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName();
        Job existing = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
        if (existing != null && !finished(existing)) {
            LOG.infof("Job %s/%s exists and is running: kept", ns, name);
            return existing;
        }
        if (existing != null) {
            client.batch().v1().jobs().inNamespace(ns).withName(name).withPropagationPolicy(
                    io.fabric8.kubernetes.api.model.DeletionPropagation.FOREGROUND).delete();
            client.batch().v1().jobs().inNamespace(ns).withName(name).waitUntilCondition(j -> j == null, 60, TimeUnit.SECONDS);
        }
        return client.batch().v1().jobs().inNamespace(ns).resource(job).create();
    }

    /** The state of a build Job, read from the informers' caches. */
    public static BuildObservation observe(ClusterView view, String jobName) {
        Optional<Job> found = view.job(jobName);
        if (found.isEmpty()) {
            return BuildObservation.absent(jobName);
        }
        Job job = found.get();
        Optional<Pod> pod = view.pods().stream()
                .filter(p -> p.getMetadata().getLabels() != null && jobName.equals(p.getMetadata().getLabels().get("job-name")))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .findFirst();
        Optional<String> initFailure = pod.flatMap(PodProblems::initFailure);
        if (initFailure.isPresent()) {
            return new BuildObservation(jobName, Phase.FAILED, initFailure.get());
        }
        if (job.getStatus() != null && job.getStatus().getConditions() != null) {
            for (JobCondition c : job.getStatus().getConditions()) {
                if ("True".equals(c.getStatus()) && ("Failed".equals(c.getType()))) {
                    return new BuildObservation(jobName, Phase.FAILED, "Job failed: " + c.getReason() + " " + c.getMessage());
                }
                if ("True".equals(c.getStatus()) && "Complete".equals(c.getType())) {
                    return new BuildObservation(jobName, Phase.DONE, null);
                }
            }
        }
        if (pod.isPresent() && mainRunning(pod.get())) {
            return new BuildObservation(jobName, Phase.FETCHABLE, null, pod.get().getMetadata().getName());
        }
        return new BuildObservation(jobName, Phase.BUILDING, null);
    }

    /**
     * Copies report and package out of the Job's pod into the cache, then tells the pod it may exit. What the pod
     * hands over is untrusted: the pod side sends at most one byte over each limit ({@code head -c}), the report is
     * checked against {@code expected} before its package path is read, and {@link PackageCache#store} checks the
     * package's size, sha256 and file name again before anything is written into the cache.
     *
     * @throws BuildOutputRefused when the output is refused (the same Job would hand over the same: the move fails)
     * @throws IOException when the copy itself failed (the next pass tries again)
     */
    public CachedPackage fetch(String ns, String jobName, String podName, ExpectedBuild expected) throws IOException {
        BuildOutputLimits limits = cache.limits();
        ByteArrayOutputStream reportBytes = new ByteArrayOutputStream();
        CappedSink report = new CappedSink(reportBytes, limits.maxReportBytes());
        exec(ns, podName, report, BuildJob.BUSYBOX_IN_TOOLS_IMAGE, "head", "-c", (limits.maxReportBytes() + 1) + "",
                BuildJob.REPORT);
        if (report.overflowed()) {
            throw ReportCheck.tooLargeReport(jobName, limits);
        }
        String reportJson = reportBytes.toString(StandardCharsets.UTF_8);
        BuildReport checked = ReportCheck.accept(jobName, reportJson, expected, limits);
        // the Job rehearses only a package it built hot (see RehearsalContainer)
        String rehearsalJson = expected.rehearsed() && checked.hot() ? readCapped(ns, podName, jobName, BuildJob.REHEARSAL) : null;
        Path tmp = cache.tempFile(ns, jobName);
        CachedPackage stored;
        try {
            try (CappedSink out = new CappedSink(Files.newOutputStream(tmp), limits.maxPackageBytes())) {
                exec(ns, podName, out, BuildJob.BUSYBOX_IN_TOOLS_IMAGE, "head", "-c", (limits.maxPackageBytes() + 1) + "",
                        checked.packagePath());
                if (out.overflowed()) {
                    throw ReportCheck.tooLargePackage(jobName, "more than " + limits.maxPackageBytes() + " bytes", limits);
                }
            }
            stored = cache.store(ns, jobName, expected, reportJson, rehearsalJson, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
        exec(ns, podName, OutputStream.nullOutputStream(), BuildJob.BUSYBOX_IN_TOOLS_IMAGE, "touch", BuildJob.FETCHED);
        LOG.infof("fetched %s (%d bytes, sha256 %s) from Job %s/%s", stored.file().getFileName(), Files.size(stored.file()),
                stored.sha256(), ns, jobName);
        return stored;
    }

    /** A small file of the Job's output, at most {@code maxReportBytes}: the pod sends one byte more at most. */
    private String readCapped(String ns, String podName, String jobName, String path) throws IOException {
        long max = cache.limits().maxReportBytes();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CappedSink sink = new CappedSink(bytes, max);
        try {
            exec(ns, podName, sink, BuildJob.BUSYBOX_IN_TOOLS_IMAGE, "head", "-c", (max + 1) + "", path);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("No such file")) {
                throw new BuildOutputRefused("Job " + jobName + " built a hot package but left no " + path
                        + " (its rehearse step did not run); refused");
            }
            throw e;
        }
        if (sink.overflowed()) {
            throw new BuildOutputRefused("the rehearsal of Job " + jobName + " is larger than " + max
                    + " bytes (relup.build.max-report-bytes); refused");
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void exec(String ns, String pod, OutputStream out, String... command) throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ExecWatch w = client.pods().inNamespace(ns).withName(pod).inContainer(BuildJob.WAIT_CONTAINER)
                .writingOutput(out).writingError(err).exec(command)) {
            Integer code = w.exitCode().get(120, TimeUnit.SECONDS);
            if (code == null || code != 0) {
                throw new IOException(String.join(" ", command) + " in " + pod + " exited " + code + ": "
                        + err.toString(StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("exec " + String.join(" ", command) + " in " + pod + " failed: " + e.getMessage(), e);
        }
    }

    private static boolean finished(Job job) {
        return job.getStatus() != null && job.getStatus().getConditions() != null
                && job.getStatus().getConditions().stream().anyMatch(c -> "True".equals(c.getStatus())
                        && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())));
    }

    private static boolean mainRunning(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return false;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .anyMatch(c -> BuildJob.WAIT_CONTAINER.equals(c.getName()) && c.getState() != null
                        && c.getState().getRunning() != null);
    }
}
