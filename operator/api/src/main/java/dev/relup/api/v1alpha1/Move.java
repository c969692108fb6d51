package dev.relup.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The move in flight, written to status BEFORE the controller acts on it, so that a controller restarted in the
 * middle of a move knows what it was doing and checks whether each step already happened before repeating it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Move {
    private String from;
    private String to;
    private String fromImage;
    private String toImage;
    /** Hot or Restart; null until the method is known (Auto before the build report). */
    private Method method;
    /** Spec generation that asked for this move. */
    private Long generation;
    /** Name of the build Job (hot moves that need a package). */
    private String buildJob;
    /** sha256 of the relup package, once fetched and verified. */
    private String packageSha256;
    /** Why the step is not hot-upgradable, as the build reported it. */
    private List<String> notHotReasons = new ArrayList<>();
    /** Pods (by name/uid) that have reached {@link #to}. */
    private List<String> podsDone = new ArrayList<>();
    private String startedAt;
    /** Set when the move stopped for good (result Failed): the readable reason. */
    private String failure;
    /** Condition reason of {@link #failure} (BuildFailed, NotHotUpgradable, UpgradeFailed, ...). */
    private String failureReason;
    /** The last failed step on a pod, in words, kept until the next step succeeds. */
    private String lastError;
    /** Kind of {@link #lastError}: UNREACHABLE, TIMEOUT, NO_UPGRADE_PATH, CODE_CHANGE_FAILED, ... */
    private String lastErrorKind;
    /** Failed attempts of the step in {@link #lastError} in a row: the retry backoff doubles with each. */
    private Integer failedAttempts;
    /** When the failed step is tried again (exponential backoff, capped). */
    private String retryAt;
    /** Pods whose health check passed after their move. */
    private List<String> healthy = new ArrayList<>();
    /** When the canary was on the target and healthy: its soak runs from here. */
    private String canarySettledAt;
    /** Which boot of the canary's node passed its check (OS pid/kernel_sup pid): another one during the soak fails it. */
    private String canaryBeam;
    /** Set while the pods already moved go back to {@link #from} (rollback Auto): why, naming pod, step and answer. */
    private String rollbackCause;
    /** Pods whose node restarted during a failed step: back on {@link #from} by release_handler, state lost. */
    private List<String> restartedPods = new ArrayList<>();
    /** The annotation relup.dev/retry when the move failed: a new value tries the target again. */
    private String retryToken;
    /**
     * A multi-step move: the versions from the one the route started on to spec.version (e.g. 0.1.0, 0.2.0, 0.3.0);
     * {@link #to} is the next hop. Empty for a direct move.
     */
    private List<String> route = new ArrayList<>();
    /** With a {@link #route}: the image of its last version (spec.image when the route was planned). */
    private String targetImage;

    public String getFrom() { return from; }
    public void setFrom(String from) { this.from = from; }
    public String getTo() { return to; }
    public void setTo(String to) { this.to = to; }
    public String getFromImage() { return fromImage; }
    public void setFromImage(String fromImage) { this.fromImage = fromImage; }
    public String getToImage() { return toImage; }
    public void setToImage(String toImage) { this.toImage = toImage; }
    public Method getMethod() { return method; }
    public void setMethod(Method method) { this.method = method; }
    public Long getGeneration() { return generation; }
    public void setGeneration(Long generation) { this.generation = generation; }
    public String getBuildJob() { return buildJob; }
    public void setBuildJob(String buildJob) { this.buildJob = buildJob; }
    public String getPackageSha256() { return packageSha256; }
    public void setPackageSha256(String packageSha256) { this.packageSha256 = packageSha256; }
    public List<String> getNotHotReasons() { return notHotReasons; }
    public void setNotHotReasons(List<String> notHotReasons) { this.notHotReasons = notHotReasons; }
    public List<String> getPodsDone() { return podsDone; }
    public void setPodsDone(List<String> podsDone) { this.podsDone = podsDone; }
    public String getStartedAt() { return startedAt; }
    public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
    public String getFailure() { return failure; }
    public void setFailure(String failure) { this.failure = failure; }
    public String getFailureReason() { return failureReason; }
    public void setFailureReason(String failureReason) { this.failureReason = failureReason; }
    public String getLastError() { return lastError; }
    public void setLastError(String lastError) { this.lastError = lastError; }
    public String getLastErrorKind() { return lastErrorKind; }
    public void setLastErrorKind(String lastErrorKind) { this.lastErrorKind = lastErrorKind; }
    public Integer getFailedAttempts() { return failedAttempts; }
    public void setFailedAttempts(Integer failedAttempts) { this.failedAttempts = failedAttempts; }
    public String getRetryAt() { return retryAt; }
    public void setRetryAt(String retryAt) { this.retryAt = retryAt; }
    public List<String> getHealthy() { return healthy; }
    public void setHealthy(List<String> healthy) { this.healthy = healthy; }
    public String getCanarySettledAt() { return canarySettledAt; }
    public void setCanarySettledAt(String canarySettledAt) { this.canarySettledAt = canarySettledAt; }
    public String getCanaryBeam() { return canaryBeam; }
    public void setCanaryBeam(String canaryBeam) { this.canaryBeam = canaryBeam; }
    public String getRollbackCause() { return rollbackCause; }
    public void setRollbackCause(String rollbackCause) { this.rollbackCause = rollbackCause; }
    public List<String> getRestartedPods() { return restartedPods; }
    public void setRestartedPods(List<String> restartedPods) { this.restartedPods = restartedPods; }
    public String getRetryToken() { return retryToken; }
    public void setRetryToken(String retryToken) { this.retryToken = retryToken; }
    public List<String> getRoute() { return route; }
    public void setRoute(List<String> route) { this.route = route; }
    public String getTargetImage() { return targetImage; }
    public void setTargetImage(String targetImage) { this.targetImage = targetImage; }

    /** Whether this move is one hop of a route. */
    public boolean routed() {
        return route != null && !route.isEmpty();
    }

    /** Where the move leads in the end: the route's last version, else {@link #to}. */
    public String target() {
        return routed() ? route.get(route.size() - 1) : to;
    }

    /** The image of {@link #target()}. */
    public String imageOfTarget() {
        return routed() ? targetImage : toImage;
    }

    /** Pods go back to {@link #from}: a rollback is under way (or done, when {@link #failure} is set too). */
    public boolean rollingBack() {
        return rollbackCause != null;
    }

    /** The step that failed succeeded (or another did): no error, no backoff. */
    public void clearError() {
        lastError = null;
        lastErrorKind = null;
        failedAttempts = null;
        retryAt = null;
    }

    public Move copy() {
        Move m = new Move();
        m.from = from; m.to = to; m.fromImage = fromImage; m.toImage = toImage; m.method = method;
        m.generation = generation; m.buildJob = buildJob; m.packageSha256 = packageSha256;
        m.notHotReasons = new ArrayList<>(notHotReasons); m.podsDone = new ArrayList<>(podsDone);
        m.startedAt = startedAt; m.failure = failure; m.failureReason = failureReason;
        m.lastError = lastError; m.lastErrorKind = lastErrorKind;
        m.failedAttempts = failedAttempts; m.retryAt = retryAt;
        m.healthy = new ArrayList<>(healthy); m.canarySettledAt = canarySettledAt; m.canaryBeam = canaryBeam;
        m.rollbackCause = rollbackCause; m.restartedPods = new ArrayList<>(restartedPods); m.retryToken = retryToken;
        m.route = new ArrayList<>(route == null ? List.of() : route); m.targetImage = targetImage;
        return m;
    }

    @Override public boolean equals(Object o) {
        return o instanceof Move m && Objects.equals(from, m.from) && Objects.equals(to, m.to)
                && Objects.equals(fromImage, m.fromImage) && Objects.equals(toImage, m.toImage)
                && method == m.method && Objects.equals(generation, m.generation)
                && Objects.equals(buildJob, m.buildJob) && Objects.equals(packageSha256, m.packageSha256)
                && Objects.equals(notHotReasons, m.notHotReasons) && Objects.equals(podsDone, m.podsDone)
                && Objects.equals(startedAt, m.startedAt) && Objects.equals(failure, m.failure)
                && Objects.equals(failureReason, m.failureReason) && Objects.equals(lastError, m.lastError)
                && Objects.equals(lastErrorKind, m.lastErrorKind)
                && Objects.equals(failedAttempts, m.failedAttempts) && Objects.equals(retryAt, m.retryAt)
                && Objects.equals(healthy, m.healthy) && Objects.equals(canarySettledAt, m.canarySettledAt)
                && Objects.equals(canaryBeam, m.canaryBeam) && Objects.equals(rollbackCause, m.rollbackCause)
                && Objects.equals(restartedPods, m.restartedPods) && Objects.equals(retryToken, m.retryToken)
                && Objects.equals(route, m.route) && Objects.equals(targetImage, m.targetImage);
    }
    @Override public int hashCode() { return Objects.hash(from, to, method, generation, podsDone, failure); }
}
