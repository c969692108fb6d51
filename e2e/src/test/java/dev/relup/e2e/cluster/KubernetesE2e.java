package dev.relup.e2e.cluster;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an end-to-end test class: it gets the cluster of {@link ClusterProvider#get()} and one fresh random
 * namespace for the whole class (deleted afterwards; pod logs and events dumped on failure). Test and
 * lifecycle methods (including static {@code @BeforeAll}) can declare parameters of type
 * {@link io.fabric8.kubernetes.client.KubernetesClient}, {@link TestNamespace} and {@link ClusterProvider}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TestNamespaceExtension.class)
public @interface KubernetesE2e {
}
