package dev.relup.api.v1alpha1;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A live configuration change in flight (or stopped), written before and while it acts, so that a restarted
 * controller knows which pods it changed and what they ran before (to roll them back).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigRollout {
    /** Hash of the spec.config text this rollout applies. */
    private String spec;
    /** Hash of the canonical overrides text applied. */
    private String desired;
    private String startedAt;
    /** Pods this rollout applied the overrides to, in order (the canary first). */
    private List<String> changed = new ArrayList<>();
    /** Pod -> hash of the overrides it ran before this rollout (see {@link #texts}). */
    private Map<String, String> previous = new LinkedHashMap<>();
    /** Hash -> canonical overrides text, each text once however many pods ran it. */
    private Map<String, String> texts = new LinkedHashMap<>();
    /** Changed pods whose health check passed after the change. */
    private List<String> healthy = new ArrayList<>();
    /** Why the rollout cannot go on (a failed apply, callback or health check), before the decider acted on it. */
    private String cause;
    /** The changed pods are being given their previous overrides back (rollback: Auto). */
    private Boolean rollingBack;
    /** Set when the rollout stopped for good: what happened. */
    private String failure;
    /** Condition reason of {@link #failure}: ConfigRolledBack or ConfigFailed. */
    private String failureReason;
    /** The relup.dev/retry annotation the rollout failed with: a new value tries again. */
    private String retryToken;

    public String getSpec() { return spec; }
    public void setSpec(String spec) { this.spec = spec; }
    public String getDesired() { return desired; }
    public void setDesired(String desired) { this.desired = desired; }
    public String getStartedAt() { return startedAt; }
    public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
    public List<String> getChanged() { return changed; }
    public void setChanged(List<String> changed) { this.changed = changed; }
    public Map<String, String> getPrevious() { return previous; }
    public void setPrevious(Map<String, String> previous) { this.previous = previous; }
    public Map<String, String> getTexts() { return texts; }
    public void setTexts(Map<String, String> texts) { this.texts = texts; }
    public List<String> getHealthy() { return healthy; }
    public void setHealthy(List<String> healthy) { this.healthy = healthy; }
    public String getCause() { return cause; }
    public void setCause(String cause) { this.cause = cause; }
    public Boolean getRollingBack() { return rollingBack; }
    public void setRollingBack(Boolean rollingBack) { this.rollingBack = rollingBack; }
    public String getFailure() { return failure; }
    public void setFailure(String failure) { this.failure = failure; }
    public String getFailureReason() { return failureReason; }
    public void setFailureReason(String failureReason) { this.failureReason = failureReason; }
    public String getRetryToken() { return retryToken; }
    public void setRetryToken(String retryToken) { this.retryToken = retryToken; }

    public boolean rollingBack() {
        return Boolean.TRUE.equals(rollingBack);
    }

    public ConfigRollout copy() {
        ConfigRollout r = new ConfigRollout();
        r.spec = spec; r.desired = desired; r.startedAt = startedAt;
        r.changed = new ArrayList<>(changed); r.previous = new LinkedHashMap<>(previous);
        r.texts = new LinkedHashMap<>(texts); r.healthy = new ArrayList<>(healthy);
        r.cause = cause; r.rollingBack = rollingBack; r.failure = failure; r.failureReason = failureReason;
        r.retryToken = retryToken;
        return r;
    }
}
