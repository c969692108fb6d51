package dev.relup.operator.workload;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.relup.api.v1alpha1.CookieFrom;
import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.ErlangReleaseSpec;
import dev.relup.api.v1alpha1.PodSettings;
import dev.relup.operator.Labels;
import dev.relup.operator.observe.NodeReadiness;
import dev.relup.operator.packaging.BuildNames;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;

/**
 * The desired cookie Secret, headless Service and StatefulSet of an ErlangRelease. Pure functions of the
 * resource (and, for the StatefulSet, of the pod template image, which the rollout owns).
 *
 * <p>What a pod looks like (the contract a release image must meet is in docs/operator.md):
 * <ul>
 *   <li>an emptyDir {@code release} holds the release root; an init container {@code seed-release} copies the
 *       image's {@code releaseDir} into it only when it is empty, so a container restart keeps a hot-upgraded
 *       release (the pod's emptyDir outlives its containers);</li>
 *   <li>the container {@code release} runs {@code <releaseDir>/bin/<release> foreground} with the emptyDir
 *       mounted at {@code releaseDir}, {@code RELEASE_NODE=<release>@$(POD_IP)}, and the cookie from the Secret as
 *       {@code $HOME/.erlang.cookie} (an init container {@code cookie} writes it, mode 0400; on no command line), or
 *       as {@code RELEASE_COOKIE} for older images ({@code spec.pod.cookieFrom: Env});</li>
 *   <li>the restricted profile unless {@code spec.pod.securityContext} / {@code containerSecurityContext} replace it:
 *       uid/gid/fsGroup 65532 (the release dir emptyDir is group-writable for it), no privilege escalation, no
 *       capability, seccomp RuntimeDefault;</li>
 *   <li>the Erlang distribution on one port, {@code spec.pod.distributionPort} (default 9100), declared as
 *       {@code dist} next to {@code epmd}: pinned through {@code ERL_AFLAGS} and {@code ERL_ZFLAGS}
 *       ({@link DistributionPort}), so that the {@link DistributionPolicy} can close it to all but the release's pods
 *       and the operator;</li>
 *   <li>{@code updateStrategy: OnDelete}: the StatefulSet never restarts pods on its own; only the operator does.</li>
 * </ul>
 *
 * <p>The environment's precedence: {@code POD_IP}, {@code POD_NAME}, {@code RELEASE_NODE}, {@code RELEASE_COOKIE}
 * and (cookie file) {@code HOME} are the operator's, a user's entry of those names in {@code spec.pod.env} is
 * dropped; {@code ERL_AFLAGS} and {@code ERL_ZFLAGS} are merged with the pin, which wins; every other name, among
 * them {@code ERL_FLAGS}, is the user's as given.
 */
public final class Workload {

    public static final int EPMD_PORT = PodSettings.EPMD_PORT;
    /** Name of the distribution port in the release container and the headless Service. */
    public static final String DIST_PORT_NAME = "dist";
    public static final String RELEASE_VOLUME = "release";
    public static final String SEED_MOUNT = "/seed";
    /** The release container's HOME when the cookie is a file: an in-memory emptyDir holding only .erlang.cookie. */
    public static final String COOKIE_HOME = "/relup/home";
    static final String COOKIE_HOME_VOLUME = "erlang-home";
    static final String COOKIE_SECRET_VOLUME = "cookie-secret";
    static final String COOKIE_SECRET_MOUNT = "/relup/cookie-secret";
    static final String IMAGE_PLACEHOLDER = "<image>";

    private Workload() {}

    public static String cookieSecretName(ErlangRelease cr) {
        String s = cr.getSpec().getCookieSecret();
        return s != null && !s.isBlank() ? s : Labels.cookieSecretName(cr.getMetadata().getName());
    }

    /** True when the operator owns the Secret (no cookieSecret named in the spec). */
    public static boolean generatesCookie(ErlangRelease cr) {
        String s = cr.getSpec().getCookieSecret();
        return s == null || s.isBlank();
    }

    public static Secret cookieSecret(ErlangRelease cr) {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String cookie = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).replaceAll("[^A-Za-z0-9]", "X");
        return new SecretBuilder()
                .withNewMetadata()
                .withName(cookieSecretName(cr))
                .withNamespace(cr.getMetadata().getNamespace())
                .withLabels(labels(cr))
                .withOwnerReferences(owner(cr))
                .endMetadata()
                .withType("Opaque")
                .addToStringData(Labels.COOKIE_KEY, cookie)
                .build();
    }

    public static Service headlessService(ErlangRelease cr) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(Labels.serviceName(cr.getMetadata().getName()))
                .withNamespace(cr.getMetadata().getNamespace())
                .withLabels(labels(cr))
                .withOwnerReferences(owner(cr))
                .endMetadata()
                .withNewSpec()
                .withClusterIP("None")
                .withPublishNotReadyAddresses(true)
                .withSelector(Labels.selector(cr.getMetadata().getName()))
                .addNewPort().withName("epmd").withPort(EPMD_PORT).withTargetPort(new IntOrString(EPMD_PORT)).endPort()
                .addNewPort().withName(DIST_PORT_NAME).withPort(DistributionPort.of(cr.getSpec().getPod()))
                .withTargetPort(new IntOrString(DistributionPort.of(cr.getSpec().getPod()))).endPort()
                .endSpec()
                .build();
    }

    /**
     * The StatefulSet with {@code templateImage} in its pod template and the workload hash annotation set (of the
     * workload {@code policy} makes: the NetworkPolicy is applied with the StatefulSet).
     */
    public static StatefulSet statefulSet(ErlangRelease cr, String templateImage, PolicySettings policy) {
        StatefulSet sts = statefulSetWithImage(cr, templateImage);
        sts.getMetadata().getAnnotations().put(Labels.WORKLOAD_HASH, workloadHash(cr, policy));
        return sts;
    }

    /**
     * Hash of everything in the StatefulSet except the template image (which the rollout moves on its own), and of
     * the NetworkPolicy (or its absence): a change of either (the spec, or the operator's network-policy settings)
     * makes the Decider apply the workload again. Map entries in key order: the same hash in every operator process
     * (a label map built from Map.of iterates in an order that changes from one JVM to the next).
     */
    public static String workloadHash(ErlangRelease cr, PolicySettings policy) {
        StatefulSet sts = statefulSetWithImage(cr, IMAGE_PLACEHOLDER);
        Object networkPolicy = policy.enabled() ? DistributionPolicy.desired(cr, policy.operator()).getSpec() : "none";
        return BuildNames.sha256(HashJson.of(sts.getSpec()) + "\n" + HashJson.of(networkPolicy)).substring(0, 16);
    }

    private static StatefulSet statefulSetWithImage(ErlangRelease cr, String image) {
        ErlangReleaseSpec spec = cr.getSpec();
        String name = cr.getMetadata().getName();
        PodSettings pod = spec.getPod() == null ? new PodSettings() : spec.getPod();
        String releaseDir = spec.getReleaseDir() == null ? "/opt/release" : spec.getReleaseDir();

        Map<String, String> podLabels = new LinkedHashMap<>(pod.getLabels() == null ? Map.of() : pod.getLabels());
        podLabels.putAll(labels(cr));
        podLabels.putAll(Labels.selector(name));

        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName("POD_IP").withNewValueFrom().withNewFieldRef()
                .withFieldPath("status.podIP").endFieldRef().endValueFrom().build());
        env.add(new EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.name").endFieldRef().endValueFrom().build());
        env.add(new EnvVarBuilder().withName("RELEASE_NODE").withValue(spec.getRelease() + "@$(POD_IP)").build());
        if (cookieFile(pod)) {
            env.add(new EnvVarBuilder().withName("HOME").withValue(COOKIE_HOME).build());
        } else {
            env.add(new EnvVarBuilder().withName("RELEASE_COOKIE").withNewValueFrom().withNewSecretKeyRef()
                    .withName(cookieSecretName(cr)).withKey(Labels.COOKIE_KEY).endSecretKeyRef().endValueFrom().build());
        }
        if (pod.getEnv() != null) {
            List<String> ours = cookieFile(pod) ? List.of("POD_IP", "POD_NAME", "RELEASE_NODE", "RELEASE_COOKIE", "HOME")
                    : List.of("POD_IP", "POD_NAME", "RELEASE_NODE", "RELEASE_COOKIE");
            pod.getEnv().stream().filter(e -> !ours.contains(e.getName()) && !DistributionPort.owns(e.getName()))
                    .forEach(env::add);
        }
        // after the user's variables: a $(VAR) in the user's ERL_AFLAGS/ERL_ZFLAGS still names one defined before
        int dist = DistributionPort.of(pod);
        env.addAll(DistributionPort.env(dist, pod.getEnv()));
        List<ContainerPort> ports = new ArrayList<>();
        ports.add(new ContainerPortBuilder().withName("epmd").withContainerPort(EPMD_PORT).build());
        ports.add(new ContainerPortBuilder().withName(DIST_PORT_NAME).withContainerPort(dist).build());
        if (pod.getPorts() != null) {
            // the CRD refuses a TCP port equal to the distribution port; an object stored before that rule is mended here
            pod.getPorts().stream().filter(p -> p.getContainerPort() != EPMD_PORT
                    && !(p.getContainerPort() == dist && (p.getProtocol() == null || "TCP".equals(p.getProtocol()))))
                    .forEach(ports::add);
        }
        Probe readiness = pod.getReadinessProbe() != null ? pod.getReadinessProbe()
                : new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(EPMD_PORT)).endTcpSocket()
                .withPeriodSeconds(5).withFailureThreshold(3).build();

        // Each entry of the release dir, not "releaseDir/.": copying "." would also set the times of the emptyDir's
        // own root, which a non-root uid does not own (cp then fails after copying everything, and the container's
        // restart finds a release dir "kept").
        String seed = "if [ -e " + SEED_MOUNT + "/releases ]; then echo 'release dir kept from an earlier container'; "
                + "else cd " + releaseDir + " && for f in * .[!.]* ..?*; do if [ -e \"$f\" ] || [ -L \"$f\" ]; then "
                + "cp -a \"$f\" " + SEED_MOUNT + "/ || exit 1; fi; done && echo 'release dir seeded from the image'; fi";

        return new StatefulSetBuilder()
                .withNewMetadata()
                .withName(Labels.statefulSetName(name))
                .withNamespace(cr.getMetadata().getNamespace())
                .withLabels(labels(cr))
                .withAnnotations(new LinkedHashMap<>())
                .withOwnerReferences(owner(cr))
                .endMetadata()
                .withNewSpec()
                .withServiceName(Labels.serviceName(name))
                .withReplicas(spec.getReplicas() == null ? 1 : spec.getReplicas())
                .withPodManagementPolicy("Parallel")
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                .withNewSelector().withMatchLabels(Labels.selector(name)).endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(podLabels)
                .withAnnotations(pod.getAnnotations() == null || pod.getAnnotations().isEmpty() ? null : pod.getAnnotations())
                .endMetadata()
                .withSpec(cookieFile(pod) ? withCookieFile(cr, podSpec(spec, pod, image, releaseDir, seed, env, ports, readiness), pod, image)
                        : podSpec(spec, pod, image, releaseDir, seed, env, ports, readiness))
                .endTemplate()
                .endSpec()
                .build();
    }

    private static PodSpec podSpec(ErlangReleaseSpec spec, PodSettings pod, String image, String releaseDir, String seed,
            List<EnvVar> env, List<ContainerPort> ports, Probe readiness) {
        return new io.fabric8.kubernetes.api.model.PodSpecBuilder()
                .withServiceAccountName(pod.getServiceAccountName())
                .withNodeSelector(pod.getNodeSelector() == null || pod.getNodeSelector().isEmpty() ? null : pod.getNodeSelector())
                .withTolerations(pod.getTolerations() == null || pod.getTolerations().isEmpty() ? null : pod.getTolerations())
                .withAffinity(pod.getAffinity())
                .withImagePullSecrets(pod.getImagePullSecrets() == null || pod.getImagePullSecrets().isEmpty() ? null : pod.getImagePullSecrets())
                .withTerminationGracePeriodSeconds(20L)
                .withSecurityContext(pod.getSecurityContext() != null ? pod.getSecurityContext() : Restricted.pod())
                .addNewReadinessGate().withConditionType(NodeReadiness.CONDITION).endReadinessGate()
                .addNewVolume().withName(RELEASE_VOLUME).withNewEmptyDir().endEmptyDir().endVolume()
                .addNewInitContainer()
                .withName("seed-release")
                .withImage(image)
                .withImagePullPolicy("IfNotPresent")
                .withCommand("/bin/sh", "-c", seed)
                .withSecurityContext(containerSecurity(pod))
                .addNewVolumeMount().withName(RELEASE_VOLUME).withMountPath(SEED_MOUNT).endVolumeMount()
                .endInitContainer()
                .addNewContainer()
                .withName(Labels.RELEASE_CONTAINER)
                .withImage(image)
                .withImagePullPolicy("IfNotPresent")
                .withCommand(releaseDir + "/bin/" + spec.getRelease(), "foreground")
                .withSecurityContext(containerSecurity(pod))
                .withEnv(env)
                .withPorts(ports)
                .withResources(pod.getResources())
                .withReadinessProbe(readiness)
                .addNewVolumeMount().withName(RELEASE_VOLUME).withMountPath(releaseDir).endVolumeMount()
                .endContainer()
                .build();
    }

    /** True unless spec.pod.cookieFrom is Env: the cookie as {@code $HOME/.erlang.cookie}, on no command line. */
    public static boolean cookieFile(PodSettings pod) {
        return pod == null || pod.getCookieFrom() != CookieFrom.Env;
    }

    /**
     * The cookie as a file: the Secret mounted in the init container {@code cookie} only, which copies it (the
     * release image's /bin/sh and cp, as the pod's uid, umask 277: mode 0400) to {@code .erlang.cookie} in an
     * in-memory emptyDir that is the release container's HOME. The BEAM reads it there when its vm.args names no
     * cookie; it refuses a file others can read. Written once per pod: the emptyDir outlives container restarts.
     */
    private static PodSpec withCookieFile(ErlangRelease cr, PodSpec spec, PodSettings pod, String image) {
        String file = COOKIE_HOME + "/.erlang.cookie";
        String copy = "if [ -e " + file + " ]; then echo 'cookie file kept'; else umask 277 && cp " + COOKIE_SECRET_MOUNT
                + "/" + Labels.COOKIE_KEY + " " + file + " && echo 'cookie file written'; fi";
        spec.getVolumes().add(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName(COOKIE_HOME_VOLUME)
                .withNewEmptyDir().withMedium("Memory").withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("1Mi"))
                .endEmptyDir().build());
        spec.getVolumes().add(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName(COOKIE_SECRET_VOLUME)
                .withNewSecret().withSecretName(cookieSecretName(cr)).withDefaultMode(0444)
                .addNewItem().withKey(Labels.COOKIE_KEY).withPath(Labels.COOKIE_KEY).endItem().endSecret().build());
        spec.getInitContainers().add(new io.fabric8.kubernetes.api.model.ContainerBuilder()
                .withName("cookie")
                .withImage(image)
                .withImagePullPolicy("IfNotPresent")
                .withCommand("/bin/sh", "-c", copy)
                .withSecurityContext(containerSecurity(pod))
                .addNewVolumeMount().withName(COOKIE_SECRET_VOLUME).withMountPath(COOKIE_SECRET_MOUNT).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName(COOKIE_HOME_VOLUME).withMountPath(COOKIE_HOME).endVolumeMount()
                .build());
        spec.getContainers().get(0).getVolumeMounts().add(new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
                .withName(COOKIE_HOME_VOLUME).withMountPath(COOKIE_HOME).build());
        return spec;
    }

    /** spec.pod.containerSecurityContext, else restricted (the root filesystem stays writable: a release may write /tmp). */
    static io.fabric8.kubernetes.api.model.SecurityContext containerSecurity(PodSettings pod) {
        return pod.getContainerSecurityContext() != null ? pod.getContainerSecurityContext() : Restricted.container(false);
    }

    public static Map<String, String> labels(ErlangRelease cr) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put(Labels.NAME, BuildNames.labelValue(cr.getSpec().getRelease()));
        l.put(Labels.INSTANCE, cr.getMetadata().getName());
        l.put(Labels.MANAGED_BY, Labels.OPERATOR);
        l.put(Labels.RELEASE_CR, cr.getMetadata().getName());
        return l;
    }

    public static OwnerReference owner(ErlangRelease cr) {
        return new OwnerReferenceBuilder()
                .withApiVersion(cr.getApiVersion())
                .withKind(cr.getKind())
                .withName(cr.getMetadata().getName())
                .withUid(cr.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }
}
