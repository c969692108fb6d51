package dev.relup.api.v1alpha1;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

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
public class PodSettings {

    @JsonPropertyDescription("Compute resources of the release container.")
    private ResourceRequirements resources;
    @JsonPropertyDescription("How the cookie reaches the BEAM. File (default): $HOME/.erlang.cookie, owner-only, copied from the "
            + "Secret by an init container; the image's vm.args must not say -setcookie. Env: RELEASE_COOKIE from the Secret, for "
            + "images whose vm.args.src says -setcookie ${RELEASE_COOKIE} (weaker: the cookie is on the BEAM's command line).")
    @io.fabric8.generator.annotation.Default("File")
    private CookieFrom cookieFrom;
    @JsonPropertyDescription("Extra environment of the release container (RELEASE_NODE, RELEASE_COOKIE and HOME are set by the operator).")
    private List<EnvVar> env = new ArrayList<>();
    @JsonPropertyDescription("Container ports of the release container (EPMD 4369 is always declared).")
    private List<ContainerPort> ports = new ArrayList<>();
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
