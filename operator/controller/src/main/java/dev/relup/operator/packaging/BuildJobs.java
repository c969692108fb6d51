package dev.relup.operator.packaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.relup.engine.build.BuildReport;
import dev.relup.operator.node.PodRoutes;
import dev.relup.operator.observe.BuildObservation;
import dev.relup.operator.observe.BuildObservation.Phase;
import dev.relup.operator.observe.CachedPackage;
import dev.relup.operator.observe.ClusterView;
import dev.relup.operator.observe.PodProblems;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Creates build Jobs, reads their state, and pulls their output from the Job's output server over HTTP (the pod
 * network, or the port-forward of {@code relup.nodes.reach}): no exec into the pod.
 */
public final class BuildJobs {

    private static final Logger LOG = Logger.getLogger(BuildJobs.class);

    /**
     * How long past its start a Job's output server may stay unreachable before the fetch gives up: it listens
     * within milliseconds, so longer means the operator cannot reach the pod at all.
     */
    public static final Duration UNREACHABLE_AFTER = Duration.ofSeconds(60);

    private final KubernetesClient client;
    private final PackageCache cache;
    private final PodRoutes routes;
    private final OutputPull.Timeouts timeouts;

    public BuildJobs(KubernetesClient client, PackageCache cache, PodRoutes routes) {
        this(client, cache, routes, OutputPull.Timeouts.DEFAULT);
    }

    BuildJobs(KubernetesClient client, PackageCache cache, PodRoutes routes, OutputPull.Timeouts timeouts) {
        this.client = client;
        this.cache = cache;
        this.routes = routes;
        this.timeouts = timeouts;
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
        Optional<ContainerStatus> serving = pod.flatMap(BuildJobs::server);
        if (serving.isPresent()) {
            String startedAt = serving.get().getState().getRunning().getStartedAt();
            return new BuildObservation(jobName, Phase.FETCHABLE, null, pod.get().getMetadata().getName(),
                    pod.get().getStatus().getPodIP(), startedAt == null ? null : Instant.parse(startedAt));
        }
        return new BuildObservation(jobName, Phase.BUILDING, null);
    }

    /**
     * Pulls report (and rehearsal) and package from the Job's output server into the cache, then tells the server it
     * may stop. What the pod hands over is untrusted: every body is read up to its cap plus one byte at most
     * ({@link OutputPull}), the report is checked against {@code expected} before the package it names is asked
     * for, and {@link PackageCache#store} checks the package's size, sha256 and file name again before anything is
     * written into the cache.
     *
     * @param servingSince when the Job's server container started: a server that cannot be reached for
     *        {@link #UNREACHABLE_AFTER} past that is the move's failure (the operator cannot reach the Job's pods)
     * @throws BuildOutputRefused when the output is refused (the same Job would hand over the same: the move fails)
     * @throws BuildOutputUnreachable when the server is not reachable (yet): the next pass tries again
     * @throws IOException when the copy itself failed (the next pass tries again)
     */
    public CachedPackage fetch(String ns, String jobName, String podName, String podIp, Instant servingSince,
            ExpectedBuild expected, Instant now) throws IOException {
        if (podIp == null || podIp.isBlank()) {
            throw new BuildOutputUnreachable("the pod " + podName + " of Job " + jobName + " has no IP yet", null);
        }
        OutputPull pull = new OutputPull(routes.to(ns, podName), podIp,
                "Job " + jobName + " (pod " + podName + ", " + podIp + ":" + BuildJob.SERVE_PORT + ")", timeouts);
        try {
            return pull(ns, jobName, pull, expected);
        } catch (BuildOutputUnreachable e) {
            if (servingSince != null && !now.isBefore(servingSince.plus(UNREACHABLE_AFTER))) {
                throw new BuildOutputRefused(e.getMessage() + ", " + Duration.between(servingSince, now).toSeconds()
                        + " s after it started: the operator must reach the build Job's pods on TCP port "
                        + BuildJob.SERVE_PORT + " (a NetworkPolicy in the way? with relup.nodes.reach=port-forward,"
                        + " create pods/portforward)");
            }
            throw e;
        }
    }

    private CachedPackage pull(String ns, String jobName, OutputPull pull, ExpectedBuild expected) throws IOException {
        BuildOutputLimits limits = cache.limits();
        ByteArrayOutputStream reportBytes = new ByteArrayOutputStream();
        OutputPull.Result report = pull.get("/" + BuildJob.REPORT_FILE, reportBytes, limits.maxReportBytes());
        if (!report.found()) {
            throw new BuildOutputRefused("Job " + jobName + " finished its build but serves no " + BuildJob.REPORT
                    + "; refused");
        }
        if (report.overflowed()) {
            throw ReportCheck.tooLargeReport(jobName, limits);
        }
        String reportJson = reportBytes.toString(StandardCharsets.UTF_8);
        BuildReport checked = ReportCheck.accept(jobName, reportJson, expected, limits);
        // the Job rehearses only a package it built hot (see RehearsalContainer)
        String rehearsalJson = expected.rehearsed() && checked.hot() ? rehearsal(pull, jobName) : null;
        // the report's path is checked: OUT/<release>-<to>.tar.gz, the name the server links
        String file = CachePath.packageFileName(checked.release(), checked.to());
        Path tmp = cache.tempFile(ns, jobName);
        CachedPackage stored;
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                OutputPull.Result pkg = pull.get("/" + file, out, limits.maxPackageBytes());
                if (!pkg.found()) {
                    throw new BuildOutputRefused("Job " + jobName + " reported package " + checked.packagePath()
                            + " but serves no such file; refused");
                }
                if (pkg.overflowed()) {
                    throw ReportCheck.tooLargePackage(jobName, "more than " + limits.maxPackageBytes() + " bytes", limits);
                }
            }
            stored = cache.store(ns, jobName, expected, reportJson, rehearsalJson, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
        done(pull, jobName);
        LOG.infof("fetched %s (%d bytes, sha256 %s) from Job %s/%s", stored.file().getFileName(), Files.size(stored.file()),
                stored.sha256(), ns, jobName);
        return stored;
    }

    /** The rehearsal, at most {@code maxReportBytes}. */
    private String rehearsal(OutputPull pull, String jobName) throws IOException {
        long max = cache.limits().maxReportBytes();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputPull.Result r = pull.get("/" + BuildJob.REHEARSAL_FILE, bytes, max);
        if (!r.found()) {
            throw new BuildOutputRefused("Job " + jobName + " built a hot package but left no " + BuildJob.REHEARSAL
                    + " (its rehearse step did not run); refused");
        }
        if (r.overflowed()) {
            throw new BuildOutputRefused("the rehearsal of Job " + jobName + " is larger than " + max
                    + " bytes (relup.build.max-report-bytes); refused");
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Tells the server it may stop: the Job's main container then exits 0 and the Job completes, as before. Not
     * fatal: the package is in the cache, and the server stops by itself when {@code relup.build.fetch-wait} ran out.
     */
    private static void done(OutputPull pull, String jobName) {
        try {
            pull.get(BuildJob.DONE_PATH, OutputStream.nullOutputStream(), 4096);
        } catch (IOException e) {
            LOG.warnf("Job %s: telling its output server to stop failed (%s); it stops when its wait runs out", jobName,
                    e.getMessage());
        }
    }

    private static boolean finished(Job job) {
        return job.getStatus() != null && job.getStatus().getConditions() != null
                && job.getStatus().getConditions().stream().anyMatch(c -> "True".equals(c.getStatus())
                        && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())));
    }

    /**
     * The Job's output server container, if it runs. A pod of an older operator's Job (its main container was
     * {@code wait}, fetched by exec) is never fetchable: it completes when its wait runs out and is built again.
     */
    private static Optional<ContainerStatus> server(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(c -> BuildJob.SERVE_CONTAINER.equals(c.getName()) && c.getState() != null
                        && c.getState().getRunning() != null)
                .findFirst();
    }
}
