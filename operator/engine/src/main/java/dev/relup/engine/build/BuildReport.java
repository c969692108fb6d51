package dev.relup.engine.build;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The builder's JSON report (docs/contract.md): which package it made between which versions, and whether
 * the upgrade is hot; {@code reasons} says why not; {@code plan} what the relup will run (null in the reports of
 * builders older than the plan). {@code appupFrom}: per changed application whose shipped appup has no up entry for the
 * running version, the from-versions its up entries do name (a regular-expression entry as its pattern text); such a
 * step is not hot, and a route through one of those versions may be (empty when the builder did not say).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BuildReport(
        @JsonProperty("release") String release,
        @JsonProperty("from") String from,
        @JsonProperty("to") String to,
        @JsonProperty("package") String packagePath,
        @JsonProperty("sha256") String sha256,
        @JsonProperty("size") long size,
        @JsonProperty("hot") boolean hot,
        @JsonProperty("reasons") List<String> reasons,
        @JsonProperty("changed_apps") List<String> changedApps,
        @JsonProperty("changed_modules") List<String> changedModules,
        @JsonProperty("erts_from") String ertsFrom,
        @JsonProperty("erts_to") String ertsTo,
        @JsonProperty("plan") @JsonInclude(JsonInclude.Include.NON_NULL) BuildPlan plan,
        @JsonProperty("appup_from") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, List<String>> appupFrom) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public BuildReport {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        changedApps = changedApps == null ? List.of() : List.copyOf(changedApps);
        changedModules = changedModules == null ? List.of() : List.copyOf(changedModules);
        Map<String, List<String>> named = new LinkedHashMap<>();
        if (appupFrom != null) {
            appupFrom.forEach((app, vsns) -> named.put(app, vsns == null ? List.of() : List.copyOf(vsns)));
        }
        appupFrom = java.util.Collections.unmodifiableMap(named);
    }

    /** Parses the builder's stdout; it must be one JSON object naming at least release, from, to, package. */
    public static BuildReport parse(String json) throws IOException {
        BuildReport r = JSON.readValue(json.strip(), BuildReport.class);
        if (r.release() == null || r.from() == null || r.to() == null || r.packagePath() == null) {
            throw new IOException("builder report lacks release/from/to/package: " + json.strip());
        }
        return r;
    }

    public java.util.Optional<BuildPlan> planned() {
        return java.util.Optional.ofNullable(plan);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
