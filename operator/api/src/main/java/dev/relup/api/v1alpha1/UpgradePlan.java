package dev.relup.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * status.plan: what the relup package of a move will run on each node, from its build report; published when the
 * package is fetched, before any pod moves. It stays after the move as the last plan.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UpgradePlan {
    private String from;
    private String to;
    @JsonPropertyDescription("Whether the package can be installed hot; reasons says why not.")
    private Boolean hot;
    private List<String> reasons = new ArrayList<>();
    @JsonPropertyDescription("Package size in bytes.")
    private Long packageSize;
    private String packageSha256;
    @JsonPropertyDescription("How many low-level instructions the relup runs.")
    private Integer relupInstructions;
    @JsonPropertyDescription("The plan in one line, as in the PlanReady event.")
    private String summary;
    @JsonPropertyDescription("Per changed application, the instructions in the order the relup runs them.")
    private List<AppPlan> apps = new ArrayList<>();
    @JsonPropertyDescription("The upgrade as the build Job rehearsed it on a throwaway node (absent with rehearse: false).")
    private PlanRehearsal rehearsal;
    @JsonPropertyDescription("A multi-step move: the versions it goes through, from the running one to spec.version; "
            + "from/to above are the hop in flight.")
    private List<String> route;
    @JsonPropertyDescription("Why the move takes a route: what the direct step's build said.")
    private String routeReason;
    @JsonPropertyDescription("Per hop of the route, in order: its plan in one line once its package is built.")
    private List<String> hops;

    public String getFrom() { return from; }
    public void setFrom(String from) { this.from = from; }
    public String getTo() { return to; }
    public void setTo(String to) { this.to = to; }
    public Boolean getHot() { return hot; }
    public void setHot(Boolean hot) { this.hot = hot; }
    public List<String> getReasons() { return reasons; }
    public void setReasons(List<String> reasons) { this.reasons = reasons; }
    public Long getPackageSize() { return packageSize; }
    public void setPackageSize(Long packageSize) { this.packageSize = packageSize; }
    public String getPackageSha256() { return packageSha256; }
    public void setPackageSha256(String packageSha256) { this.packageSha256 = packageSha256; }
    public Integer getRelupInstructions() { return relupInstructions; }
    public void setRelupInstructions(Integer relupInstructions) { this.relupInstructions = relupInstructions; }
    public String getSummary() { return summary; }
    public void setSummary(String summary) { this.summary = summary; }
    public List<AppPlan> getApps() { return apps; }
    public void setApps(List<AppPlan> apps) { this.apps = apps; }
    public List<String> getRoute() { return route; }
    public void setRoute(List<String> route) { this.route = route; }
    public String getRouteReason() { return routeReason; }
    public void setRouteReason(String routeReason) { this.routeReason = routeReason; }
    public List<String> getHops() { return hops; }
    public void setHops(List<String> hops) { this.hops = hops; }
    public PlanRehearsal getRehearsal() { return rehearsal; }
    public void setRehearsal(PlanRehearsal rehearsal) { this.rehearsal = rehearsal; }

    /** Whether this is the plan of the move {@code from -> to}. */
    public boolean isFor(String from, String to) {
        return Objects.equals(this.from, from) && Objects.equals(this.to, to);
    }
}
