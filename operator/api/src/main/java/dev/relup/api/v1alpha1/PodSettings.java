package dev.relup.api.v1alpha1;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;

/** Settings copied into the pod template. The release container's command, node name and cookie are the operator's. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(value = PodSettings.PORTS_RULE,
        message = "pod.ports must not declare the distribution port (pod.distributionPort, default 9100) for TCP: the BEAM "
                + "listens there; give the application another port or set pod.distributionPort to a free one")
public class PodSettings {

    /** The distribution port of release pods when {@code distributionPort} is absent. */
    public static final int DEFAULT_DISTRIBUTION_PORT = 9100;
    /** epmd's port: never the distribution port. */
    public static final int EPMD_PORT = 4369;
    /** No TCP container port equals the distribution port (the default one when the field is absent). */
    static final String PORTS_RULE = "!has(self.ports) || self.ports.all(p, (has(p.protocol) && p.protocol != 'TCP') || "
            + "p.containerPort != (has(self.distributionPort) ? self.distributionPort : " + DEFAULT_DISTRIBUTION_PORT + "))";

    @JsonPropertyDescription("Compute resources of the release container.")
    private ResourceRequirements resources;
    @JsonPropertyDescription("How the cookie reaches the BEAM. File (default): $HOME/.erlang.cookie, owner-only, copied from the "
            + "Secret by an init container; the image's vm.args must not say -setcookie. Env: RELEASE_COOKIE from the Secret, for "
            + "images whose vm.args.src says -setcookie ${RELEASE_COOKIE} (weaker: the cookie is on the BEAM's command line).")
    @Default("File")
    private CookieFrom cookieFrom;
    @JsonPropertyDescription("Extra environment of the release container. POD_IP, POD_NAME, RELEASE_NODE, RELEASE_COOKIE and "
            + "HOME are the operator's (yours are ignored); ERL_AFLAGS and ERL_ZFLAGS are merged with the operator's "
            + "distribution port pin, which comes first in ERL_AFLAGS and last in ERL_ZFLAGS and so wins; ERL_FLAGS is yours alone.")
    private List<EnvVar> env = new ArrayList<>();
    @Size(max = 64) // bounds the cost of the ports rule above
    @JsonPropertyDescription("Container ports of the release container (epmd 4369 and the distribution port are always "
            + "declared, as epmd and dist).")
    private List<ContainerPort> ports = new ArrayList<>();
    @Default("9100")
    @Min(1024)
    @Max(65535)
    @ValidationRule(value = "self != " + EPMD_PORT,
            message = "pod.distributionPort must not be 4369, epmd's own port: pick another free port, e.g. 9100")
    @JsonPropertyDescription("TCP port the BEAM's Erlang distribution listens on (default 9100). The operator pins it "
            + "through the environment (-kernel inet_dist_listen_min/max in ERL_AFLAGS and ERL_ZFLAGS), so the image need "
            + "not; with the operator's NetworkPolicy, only the release's own pods and the operator reach it and epmd. "
            + "Change it when the application itself listens on 9100.")
    private Integer distributionPort;
    private Map<String, String> nodeSelector = new LinkedHashMap<>();
    private List<Toleration> tolerations = new ArrayList<>();
    private Affinity affinity;
    @Size(max = 253)
    @ValidationRule(value = ErlangReleaseSpec.OBJECT_NAME_RULE,
            message = "pod.serviceAccountName must be the name of a ServiceAccount in this namespace (lowercase letters, digits, '-', '.'), e.g. ticker")
    private String serviceAccountName;
    private List<LocalObjectReference> imagePullSecrets = new ArrayList<>();
    @JsonPropertyDescription("Readiness probe of the release container; default: TCP on EPMD (4369).")
    private Probe readinessProbe;
    @JsonPropertyDescription("Pod securityContext; default: the restricted profile (runAsNonRoot, uid/gid/fsGroup 65532, "
            + "seccomp RuntimeDefault). Set it to run the release under another uid; it replaces the default whole.")
    private PodSecurityContext securityContext;
    @JsonPropertyDescription("securityContext of the pod's containers (release and init); default: allowPrivilegeEscalation "
            + "false, all capabilities dropped, runAsNonRoot. It replaces the default whole (e.g. add readOnlyRootFilesystem: true "
            + "for a release that writes only its release dir and /tmp).")
    private SecurityContext containerSecurityContext;
    @JsonPropertyDescription("Extra pod labels (the operator's own labels win).")
    private Map<String, String> labels = new LinkedHashMap<>();
    @JsonPropertyDescription("Extra pod annotations.")
    private Map<String, String> annotations = new LinkedHashMap<>();

    public CookieFrom getCookieFrom() { return cookieFrom; }
    public void setCookieFrom(CookieFrom cookieFrom) { this.cookieFrom = cookieFrom; }
    public ResourceRequirements getResources() { return resources; }
    public void setResources(ResourceRequirements resources) { this.resources = resources; }
    public List<EnvVar> getEnv() { return env; }
    public void setEnv(List<EnvVar> env) { this.env = env; }
    public List<ContainerPort> getPorts() { return ports; }
    public Integer getDistributionPort() { return distributionPort; }
    public void setDistributionPort(Integer distributionPort) { this.distributionPort = distributionPort; }
    public void setPorts(List<ContainerPort> ports) { this.ports = ports; }
    public Map<String, String> getNodeSelector() { return nodeSelector; }
    public void setNodeSelector(Map<String, String> nodeSelector) { this.nodeSelector = nodeSelector; }
    public List<Toleration> getTolerations() { return tolerations; }
    public void setTolerations(List<Toleration> tolerations) { this.tolerations = tolerations; }
    public Affinity getAffinity() { return affinity; }
    public void setAffinity(Affinity affinity) { this.affinity = affinity; }
    public String getServiceAccountName() { return serviceAccountName; }
    public void setServiceAccountName(String serviceAccountName) { this.serviceAccountName = serviceAccountName; }
    public List<LocalObjectReference> getImagePullSecrets() { return imagePullSecrets; }
    public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) { this.imagePullSecrets = imagePullSecrets; }
    public Probe getReadinessProbe() { return readinessProbe; }
    public void setReadinessProbe(Probe readinessProbe) { this.readinessProbe = readinessProbe; }
    public PodSecurityContext getSecurityContext() { return securityContext; }
    public void setSecurityContext(PodSecurityContext securityContext) { this.securityContext = securityContext; }
    public SecurityContext getContainerSecurityContext() { return containerSecurityContext; }
    public void setContainerSecurityContext(SecurityContext containerSecurityContext) { this.containerSecurityContext = containerSecurityContext; }
    public Map<String, String> getLabels() { return labels; }
    public void setLabels(Map<String, String> labels) { this.labels = labels; }
    public Map<String, String> getAnnotations() { return annotations; }
    public void setAnnotations(Map<String, String> annotations) { this.annotations = annotations; }
}
