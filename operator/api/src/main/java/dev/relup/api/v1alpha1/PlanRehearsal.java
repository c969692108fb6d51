package dev.relup.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The rehearsal of an {@link UpgradePlan}: the upgrade as a throwaway node in the build Job ran it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlanRehearsal {
    @JsonPropertyDescription("Succeeded or Failed.")
    private String result;
    @JsonPropertyDescription("How long the rehearsal took, in milliseconds.")
    private Long millis;
    @JsonPropertyDescription("The step that failed (boot, unpack, check_install, install, make_permanent, verify, "
            + "health, or a step of the way back), when it failed.")
    private String failedStep;
    @JsonPropertyDescription("What the failed step saw, e.g. the code_change crash or the health check's answer.")
    private String crash;
    @JsonPropertyDescription("Each step in words, e.g. \"install: ok in 14 ms (installed 0.2.0 over 0.1.0)\".")
    private List<String> steps = new ArrayList<>();

    public String getResult() { return result; }
    public void setResult(String result) { this.result = result; }
    public Long getMillis() { return millis; }
    public void setMillis(Long millis) { this.millis = millis; }
    public String getFailedStep() { return failedStep; }
    public void setFailedStep(String failedStep) { this.failedStep = failedStep; }
    public String getCrash() { return crash; }
    public void setCrash(String crash) { this.crash = crash; }
    public List<String> getSteps() { return steps; }
    public void setSteps(List<String> steps) { this.steps = steps; }
}
