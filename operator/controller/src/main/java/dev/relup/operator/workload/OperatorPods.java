package dev.relup.operator.workload;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The operator's own pods, as a NetworkPolicy peer of the release pods: the namespace they run in and labels they
 * carry (the chart gives its Deployment's selector labels and its release namespace). An operator outside the
 * cluster has no pods and needs none (see {@link DistributionPolicy}).
 */
public record OperatorPods(String namespace, Map<String, String> labels) {

    /** A label key (optional DNS prefix and '/') or value, as the API server accepts them. */
    private static final Pattern KEY = Pattern.compile("^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$");
    private static final Pattern VALUE = Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$");

    public OperatorPods {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("the operator's namespace is needed to admit its pods");
        }
        if (labels == null || labels.isEmpty()) {
            throw new IllegalArgumentException("at least one label of the operator's pods is needed to admit them");
        }
        labels = Map.copyOf(labels);
    }

    /**
     * Labels written as {@code key=value,key=value} (a label selector of equalities, as in {@code kubectl -l}).
     *
     * @throws IllegalArgumentException naming the part that is not {@code key=value}
     */
    public static Map<String, String> parseLabels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String key = eq < 0 ? "" : p.substring(0, eq).strip();
            String value = eq < 0 ? "" : p.substring(eq + 1).strip();
            if (eq < 0 || !KEY.matcher(key).matches() || !VALUE.matcher(value).matches() || value.length() > 63) {
                throw new IllegalArgumentException("'" + p + "' is not a label key=value (in '" + text + "')");
            }
            labels.put(key, value);
        }
        return labels;
    }
}
