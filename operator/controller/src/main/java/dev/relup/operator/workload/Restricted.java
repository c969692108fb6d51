package dev.relup.operator.workload;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * The Pod Security Standard "restricted" settings the operator gives the pods it makes: a non-root uid (the images
 * need not have one: files readable by others suffice, docs/contract.md), no privilege escalation, no capability,
 * the runtime's default seccomp profile. New objects each call: callers may change them.
 */
public final class Restricted {

    /** uid, gid and fsGroup of the operator's pods unless {@code spec.pod.securityContext} says otherwise. */
    public static final long UID = 65532L;

    private Restricted() {}

    public static PodSecurityContext pod() {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true).withRunAsUser(UID).withRunAsGroup(UID).withFsGroup(UID)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    /** @param readOnlyRoot whether the container's root filesystem is read-only (its writes go to volumes) */
    public static SecurityContext container(boolean readOnlyRoot) {
        return new SecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(readOnlyRoot ? Boolean.TRUE : null)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }
}
