package dev.relup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of an {@link ErlangRelease}. Written by users only; the controller never changes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.release == oldSelf.release",
        message = "release (the release name) cannot change; create a new ErlangRelease for another release")
@ValidationRule(value = "!has(self.batchSize) || !has(self.replicas) || self.batchSize <= self.replicas",
        message = "batchSize must not exceed replicas (it is how many pods move at once): lower batchSize or raise replicas")
public class ErlangReleaseSpec {

    /**
     * A release version as relx/systools accept it (letters, digits, '.', '_', '+', '-'), that also makes a label
     * value once '+' is replaced (build Job labels): a letter or digit at both ends, 63 characters at most.
     */
    public static final String VERSION_RULE = "self.matches('^[0-9A-Za-z]([0-9A-Za-z._+-]*[0-9A-Za-z])?$')";
    /** releaseDir goes into shell command lines of the pods and Jobs: only plain path characters. */
    public static final String RELEASE_DIR_RULE = "self.matches('^(/[A-Za-z0-9._-]+)+$')";
    public static final String RELEASE_DIR_DOTS_RULE = "!self.matches('(^|/)[.][.]?(/|$)')";
    /** A Kubernetes object name (DNS-1123 subdomain). */
    public static final String OBJECT_NAME_RULE =
            "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')";
    /** An explicit tag (not latest) or a digest. */
    public static final String IMAGE_RULE = "self.matches('^[^@]+@sha256:[a-f0-9]{64}$')"
            + " || (self.matches('^([^/]+/)*[^/:@]+:[A-Za-z0-9_][A-Za-z0-9_.-]*$') && !self.endsWith(':latest'))";

    @Required
    @Size(min = 1, max = 63)
    @ValidationRule(value = "self.matches('^[a-z]([a-zA-Z0-9_]*[a-zA-Z0-9])?$')",
            message = "release must be the Erlang release name (an atom: lowercase letter first, then letters, digits, _; not ending in _, as it becomes a label value), as in bin/<release>")
    @JsonPropertyDescription("Name of the Erlang release (the relx release name: /opt/release/bin/<release>).")
    private String release;

    @Required
    @Size(min = 1, max = 63)
    @ValidationRule(value = VERSION_RULE,
            message = "version must be a release version such as 1.2.0 (letters, digits, '.', '_', '+', '-'; starting and ending with a letter or digit, as it becomes a label value)")
    @JsonPropertyDescription("Desired release version. Changing it moves the running pods to it in place.")
    private String version;

    @Required
    @Size(min = 1, max = 512)
    @ValidationRule(value = IMAGE_RULE,
            message = "image must carry an explicit tag other than :latest, or a digest (e.g. registry.example/app:1.2.0), so that each version maps to exactly one image")
    @JsonPropertyDescription("Image holding the release of `version` at `releaseDir`.")
    private String image;

    @Default("1")
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Number of pods (Erlang nodes). At least 1.")
    private Integer replicas = 1;

    @Size(max = 253)
    @ValidationRule(value = OBJECT_NAME_RULE,
            message = "cookieSecret must be the name of a Secret in this namespace (lowercase letters, digits, '-', '.'), e.g. ticker-cookie")
    @JsonPropertyDescription("Name of a Secret with key `cookie` holding the Erlang cookie. When absent, <name>-cookie is generated.")
    private String cookieSecret;

    @Default("Auto")
    @JsonPropertyDescription("Hot: release_handler only (a move that cannot be hot stops with Degraded, pods untouched); "
            + "Restart: delete pods one at a time onto the new image; Auto: hot when the build says the step is hot-upgradable, otherwise Restart.")
    private Strategy strategy = Strategy.Auto;

    @JsonPropertyDescription("Purge options for hot upgrades.")
    private Purge purge;

    @Default("1")
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("How many pods move at once after the first (canary) pod has moved.")
    private Integer batchSize = 1;

    @Default("/opt/release")
    @Size(min = 2, max = 255)
    @ValidationRule(value = RELEASE_DIR_RULE,
            message = "releaseDir must be an absolute path of letters, digits, '.', '_', '-' between slashes, without a trailing slash, spaces or shell characters, e.g. /opt/release")
    @ValidationRule(value = RELEASE_DIR_DOTS_RULE,
            message = "releaseDir must not contain a '.' or '..' segment: write the directory itself, e.g. /opt/release")
    @JsonPropertyDescription("Where the release root (bin/, lib/, releases/, erts-*/) lives in the image.")
    private String releaseDir = "/opt/release";

    @JsonPropertyDescription("Pod settings: resources, env, ports, node selection, service account, labels, annotations.")
    private PodSettings pod;

    @JsonPropertyDescription("Called on each node after its move, and on the canary during its soak; a failure stops "
            + "the move (and rolls it back under rollback: Auto).")
    private HealthCheck healthCheck;

    @Default("true")
    @JsonPropertyDescription("Rehearse each upgrade in the build Job before any pod is touched: a throwaway node booted "
            + "from the from-image (loopback only) installs the package as the operator would, runs healthCheck, and "
            + "downgrades again. A failed rehearsal ends the move Degraded (RehearsalFailed), pods untouched. Turn it off "
            + "for a release that cannot boot in isolation (it needs a database, a peer, a secret).")
    private Boolean rehearse = true;

    @JsonPropertyDescription("How the first pod of a move is watched before the others follow.")
    private Canary canary;

    @JsonPropertyDescription("Approval: with true the operator builds, rehearses and publishes the plan of a move "
            + "(status.plan), then waits (phase Paused, Progressing reason AwaitingApproval) until it is false again. "
            + "Set during a move, the move stops after the steps in flight.")
    private Boolean paused;

    @Default("Auto")
    @JsonPropertyDescription("When a pod's move, its health check or the canary's soak fails: Auto moves every pod "
            + "already moved back to the from-version in place; Manual stops and leaves the pods where they are. "
            + "Either way the target is not tried again until the spec changes or the annotation relup.dev/retry "
            + "gets a new value.")
    private Rollback rollback = Rollback.Auto;

    @Size(max = 16)
    @ValidationRule(value = "self.all(x, self.exists_one(y, y.version == x.version))",
            message = "upgradePath lists a version twice: each version maps to exactly one image")
    @JsonPropertyDescription("Versions (each with its image) a move may pass through when the target's shipped appup "
            + "does not upgrade from the running version: the operator then plans a route through them (and through "
            + "versions this ErlangRelease ran before, whose images it knows), each hop built, rehearsed and moved hot. "
            + "Tried in this order.")
    private java.util.List<UpgradeStop> upgradePath;

    @Size(max = 16384)
    @JsonPropertyDescription("Live configuration: application environment overrides in sys.config syntax, e.g. "
            + "`[{ticker, [{interval, 1500}]}].`. A change is validated on a node first (a text that does not parse, "
            + "is not a list of {App, [{Key, Value}]} or names an application the release does not have is rejected: "
            + "status.config.rejected), then applied in place on the canary, then batchSize pods at a time, as a "
            + "release upgrade applies a new sys.config (env set, each changed application's config_change/3 called), "
            + "with the health check and rollback of version moves. Persisted into the release's sys.config: it "
            + "survives a restart and every later version move. Empty: the release's own configuration.")
    private String config;

    public java.util.List<UpgradeStop> getUpgradePath() { return upgradePath; }
    public void setUpgradePath(java.util.List<UpgradeStop> upgradePath) { this.upgradePath = upgradePath; }
    public String getConfig() { return config; }
    public void setConfig(String config) { this.config = config; }
    public String getRelease() { return release; }
    public void setRelease(String release) { this.release = release; }
    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
    public String getCookieSecret() { return cookieSecret; }
    public void setCookieSecret(String cookieSecret) { this.cookieSecret = cookieSecret; }
    public Strategy getStrategy() { return strategy; }
    public void setStrategy(Strategy strategy) { this.strategy = strategy; }
    public Purge getPurge() { return purge; }
    public void setPurge(Purge purge) { this.purge = purge; }
    public Integer getBatchSize() { return batchSize; }
    public void setBatchSize(Integer batchSize) { this.batchSize = batchSize; }
    public String getReleaseDir() { return releaseDir; }
    public void setReleaseDir(String releaseDir) { this.releaseDir = releaseDir; }
    public PodSettings getPod() { return pod; }
    public void setPod(PodSettings pod) { this.pod = pod; }
    public HealthCheck getHealthCheck() { return healthCheck; }
    public void setHealthCheck(HealthCheck healthCheck) { this.healthCheck = healthCheck; }
    public Boolean getRehearse() { return rehearse; }
    public void setRehearse(Boolean rehearse) { this.rehearse = rehearse; }
    public Canary getCanary() { return canary; }
    public void setCanary(Canary canary) { this.canary = canary; }
    public Boolean getPaused() { return paused; }
    public void setPaused(Boolean paused) { this.paused = paused; }
    public Rollback getRollback() { return rollback; }
    public void setRollback(Rollback rollback) { this.rollback = rollback; }
}
