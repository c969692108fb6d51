package dev.relup.api.v1alpha1;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Which live configuration every pod runs. Configurations are named by the first 12 hex digits of the sha256 of
 * their canonical text (the overrides as the node prints them back, one line), so the same overrides written
 * differently in spec.config are the same configuration.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigStatus {
    @JsonPropertyDescription("Hash of the spec.config text last validated (validation is asked again when it changes).")
    private String spec;
    @JsonPropertyDescription("Hash of the canonical overrides spec.config means; empty until a node validated it.")
    private String desired;
    @JsonPropertyDescription("Pod -> hash of the overrides its node runs (persisted for its running release).")
    private Map<String, String> applied = new TreeMap<>();
    @JsonPropertyDescription("The spec.config a node rejected, why and when: no pod was touched. Cleared when spec.config changes.")
    private ConfigRejection rejected;
    @JsonPropertyDescription("The configuration change in flight, or the one that failed.")
    private ConfigRollout rollout;

    public String getSpec() { return spec; }
    public void setSpec(String spec) { this.spec = spec; }
    public String getDesired() { return desired; }
    public void setDesired(String desired) { this.desired = desired; }
    public Map<String, String> getApplied() { return applied; }
    public void setApplied(Map<String, String> applied) { this.applied = applied; }
    public ConfigRejection getRejected() { return rejected; }
    public void setRejected(ConfigRejection rejected) { this.rejected = rejected; }
    public ConfigRollout getRollout() { return rollout; }
    public void setRollout(ConfigRollout rollout) { this.rollout = rollout; }

    public ConfigStatus copy() {
        ConfigStatus c = new ConfigStatus();
        c.spec = spec; c.desired = desired; c.applied = new TreeMap<>(applied);
        c.rejected = rejected == null ? null : new ConfigRejection(rejected.getText(), rejected.getReason(), rejected.getTime());
        c.rollout = rollout == null ? null : rollout.copy();
        return c;
    }
}
