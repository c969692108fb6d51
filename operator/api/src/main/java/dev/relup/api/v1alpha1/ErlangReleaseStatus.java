package dev.relup.api.v1alpha1;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Condition;

/** Observed state of an {@link ErlangRelease}; written by the controller only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ErlangReleaseStatus {

    public static final int HISTORY_LIMIT = 20;

    private Long observedGeneration;
    @JsonPropertyDescription("Ready, Progressing and Degraded, each with reason, message, lastTransitionTime and observedGeneration.")
    private List<Condition> conditions = new ArrayList<>();
    @JsonPropertyDescription("Creating, Running, Upgrading, Restarting, Degraded: one word for `kubectl get`.")
    private String phase;
    private String desiredVersion;
    @JsonPropertyDescription("The version every pod runs; empty while pods disagree.")
    private String currentVersion;
    @JsonPropertyDescription("The version of the move in flight.")
    private String targetVersion;
    @JsonPropertyDescription("The last version all pods ran while Ready.")
    private String lastStableVersion;
    private Integer replicas;
    private Integer readyReplicas;
    @JsonPropertyDescription("ready/replicas, for `kubectl get`.")
    private String readyPods;
    private List<PodState> pods = new ArrayList<>();
    @JsonPropertyDescription("Finished moves, newest last, at most 20.")
    private List<MoveRecord> history = new ArrayList<>();
    @JsonPropertyDescription("version -> image of every version seen, so downgrades need no new input.")
    private Map<String, String> images = new LinkedHashMap<>();
    @JsonPropertyDescription("The move in flight, written before acting on it.")
    private Move move;
    @JsonPropertyDescription("What the package of the pending or running move will run, before any pod moves; stays as the last plan.")
    private UpgradePlan plan;

    @JsonPropertyDescription("Live configuration: which overrides every pod runs, the one spec.config means, a rejected text.")
    private ConfigStatus config;

    public ConfigStatus getConfig() { return config; }
    public void setConfig(ConfigStatus config) { this.config = config; }
    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public String getPhase() { return phase; }
    public void setPhase(String phase) { this.phase = phase; }
    public String getDesiredVersion() { return desiredVersion; }
    public void setDesiredVersion(String desiredVersion) { this.desiredVersion = desiredVersion; }
    public String getCurrentVersion() { return currentVersion; }
    public void setCurrentVersion(String currentVersion) { this.currentVersion = currentVersion; }
    public String getTargetVersion() { return targetVersion; }
    public void setTargetVersion(String targetVersion) { this.targetVersion = targetVersion; }
    public String getLastStableVersion() { return lastStableVersion; }
    public void setLastStableVersion(String lastStableVersion) { this.lastStableVersion = lastStableVersion; }
    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
    public Integer getReadyReplicas() { return readyReplicas; }
    public void setReadyReplicas(Integer readyReplicas) { this.readyReplicas = readyReplicas; }
    public String getReadyPods() { return readyPods; }
    public void setReadyPods(String readyPods) { this.readyPods = readyPods; }
    public List<PodState> getPods() { return pods; }
    public void setPods(List<PodState> pods) { this.pods = pods; }
    public List<MoveRecord> getHistory() { return history; }
    public void setHistory(List<MoveRecord> history) { this.history = history; }
    public Map<String, String> getImages() { return images; }
    public void setImages(Map<String, String> images) { this.images = images; }
    public Move getMove() { return move; }
    public void setMove(Move move) { this.move = move; }
    public UpgradePlan getPlan() { return plan; }
    public void setPlan(UpgradePlan plan) { this.plan = plan; }
}
