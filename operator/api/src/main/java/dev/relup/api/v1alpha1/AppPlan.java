package dev.relup.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One application of an {@link UpgradePlan}; from is empty for an added application, to for a removed one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AppPlan {
    private String app;
    private String from;
    private String to;
    @JsonPropertyDescription("generated (by the builder) or shipped (by the release).")
    private String appup;
    @JsonPropertyDescription("E.g. \"ticker_server (gen_server): code_change, soft purge\".")
    private List<String> instructions = new ArrayList<>();

    public AppPlan() {}
    public AppPlan(String app, String from, String to, String appup, List<String> instructions) {
        this.app = app; this.from = from; this.to = to; this.appup = appup; this.instructions = instructions;
    }

    public String getApp() { return app; }
    public void setApp(String app) { this.app = app; }
    public String getFrom() { return from; }
    public void setFrom(String from) { this.from = from; }
    public String getTo() { return to; }
    public void setTo(String to) { this.to = to; }
    public String getAppup() { return appup; }
    public void setAppup(String appup) { this.appup = appup; }
    public List<String> getInstructions() { return instructions; }
    public void setInstructions(List<String> instructions) { this.instructions = instructions; }
}
