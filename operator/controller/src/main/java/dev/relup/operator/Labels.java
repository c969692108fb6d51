package dev.relup.operator;

import java.util.Map;

/** Label and annotation keys the operator puts on what it creates, and the names it derives. */
public final class Labels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String OPERATOR = "relup-operator";
    /** Value of {@link #INSTANCE}: the ErlangRelease name; used to map pods and Jobs back to their resource. */
    public static final String RELEASE_CR = "relup.dev/erlangrelease";
    public static final String FROM_VERSION = "relup.dev/from-version";
    public static final String TO_VERSION = "relup.dev/to-version";
    public static final String SPEC_HASH = "relup.dev/spec-hash";
    public static final String WORKLOAD_HASH = "relup.dev/workload-hash";
    /** Annotation on an ErlangRelease: a new value tries a failed (or rolled back) target again. */
    public static final String RETRY = "relup.dev/retry";

    public static final String COMPONENT_NODE = "erlang-node";
    public static final String COMPONENT_BUILD = "relup-build";

    public static final String COOKIE_KEY = "cookie";
    public static final String RELEASE_CONTAINER = "release";

    private Labels() {}

    /** Labels selecting the pods of one ErlangRelease. */
    /** The ErlangRelease's {@link #RETRY} annotation, or null. */
    public static String retryToken(io.fabric8.kubernetes.api.model.HasMetadata cr) {
        Map<String, String> a = cr.getMetadata().getAnnotations();
        return a == null ? null : a.get(RETRY);
    }

    public static Map<String, String> selector(String crName) {
        return Map.of(RELEASE_CR, crName, COMPONENT, COMPONENT_NODE);
    }

    public static String cookieSecretName(String crName) {
        return crName + "-cookie";
    }

    public static String serviceName(String crName) {
        return crName;
    }

    public static String statefulSetName(String crName) {
        return crName;
    }

    /** The NetworkPolicy closing epmd and the distribution port of the release's pods (workload.DistributionPolicy). */
    public static String networkPolicyName(String crName) {
        return crName + "-distribution";
    }
}
