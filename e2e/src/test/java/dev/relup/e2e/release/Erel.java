package dev.relup.e2e.release;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.relup.e2e.cluster.E2ePaths;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * ErlangRelease as a user sees it: untyped (the e2e module does not depend on the API module), so the tests read
 * the same JSON that kubectl shows, and a schema change shows as a test failure rather than a compile error.
 */
public final class Erel {

    public static final String API_VERSION = "relup.dev/v1alpha1";
    public static final String KIND = "ErlangRelease";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Erel() {}

    /** Installs crds/erlangreleases.relup.dev-v1.yml (the checked-in CRD) and waits until it is established. */
    public static void installCrd(KubernetesClient client) throws Exception {
        applyCrd(client, E2ePaths.repoRoot().resolve("crds/erlangreleases.relup.dev-v1.yml"));
    }

    /** Server-side applies the CRD file and waits until it is established. */
    public static void applyCrd(KubernetesClient client, Path file) throws Exception {
        try (var in = Files.newInputStream(file)) {
            CustomResourceDefinition def = client.apiextensions().v1().customResourceDefinitions().load(in).item();
            client.resource(def).forceConflicts().serverSideApply();
        }
        client.apiextensions().v1().customResourceDefinitions().withName("erlangreleases.relup.dev")
                .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                        && c.getStatus().getConditions().stream().anyMatch(x -> x.getType().equals("Established")
                        && x.getStatus().equals("True")), 60, TimeUnit.SECONDS);
    }

    public static void create(KubernetesClient client, String ns, String name, Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(API_VERSION);
        r.setKind(KIND);
        r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        r.setAdditionalProperty("spec", spec);
        client.genericKubernetesResources(API_VERSION, KIND).inNamespace(ns).resource(r).create();
    }

    /** A JSON merge patch of the spec, as {@code kubectl patch --type merge} would send it. */
    public static void patchSpec(KubernetesClient client, String ns, String name, Map<String, Object> specChanges)
            throws Exception {
        client.genericKubernetesResources(API_VERSION, KIND).inNamespace(ns).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), JSON.writeValueAsString(Map.of("spec", specChanges)));
    }

    /** The ErlangRelease as JSON, or null when there is none. */
    public static JsonNode get(KubernetesClient client, String ns, String name) {
        GenericKubernetesResource r = client.genericKubernetesResources(API_VERSION, KIND).inNamespace(ns).withName(name).get();
        return r == null ? null : JSON.valueToTree(r);
    }

    /** A field ("status", "reason", "message") of the status condition {@code type}, or null. */
    public static String condition(JsonNode erel, String type, String field) {
        if (erel == null) {
            return null;
        }
        for (JsonNode c : erel.path("status").path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c.path(field).asText(null);
            }
        }
        return null;
    }

    /** Ready on {@code version} with every pod ready, for the latest generation. */
    public static boolean readyOn(JsonNode erel, String version, int replicas) {
        return erel != null
                && "True".equals(condition(erel, "Ready", "status"))
                && version.equals(erel.path("status").path("currentVersion").asText())
                && (replicas + "/" + replicas).equals(erel.path("status").path("readyPods").asText())
                && erel.path("metadata").path("generation").asLong() == erel.path("status").path("observedGeneration").asLong();
    }

    /** Degraded, for the latest generation. */
    public static boolean degraded(JsonNode erel) {
        return erel != null && "True".equals(condition(erel, "Degraded", "status"))
                && erel.path("metadata").path("generation").asLong() == erel.path("status").path("observedGeneration").asLong();
    }

    /** The latest entry of status.history, or null. */
    public static JsonNode lastHistory(JsonNode erel) {
        JsonNode h = erel.path("status").path("history");
        return h.size() == 0 ? null : h.get(h.size() - 1);
    }

    /**
     * Oldest first. Creation times have one-second resolution (two pods moved in the same second tie), so ties go
     * by resourceVersion: an opaque string to clients, but etcd's revision here, which only grows.
     */
    public static final Comparator<Event> OLDEST_FIRST = Comparator
            .comparing((Event e) -> e.getMetadata().getCreationTimestamp())
            .thenComparingLong(e -> Long.parseLong(e.getMetadata().getResourceVersion()));

    /** Events on the ErlangRelease, oldest first, as "Reason: message". */
    public static List<String> events(KubernetesClient client, String ns, String name) {
        List<Event> ev = new ArrayList<>(client.v1().events().inNamespace(ns).list().getItems());
        ev.removeIf(e -> !about(e, name));
        ev.sort(OLDEST_FIRST);
        List<String> out = new ArrayList<>();
        for (Event e : ev) {
            out.add(e.getReason() + ": " + e.getMessage());
        }
        return out;
    }

    /** Names of the Events on this ErlangRelease now (to count only those of a later step). */
    public static Set<String> eventNames(KubernetesClient client, String ns, String name) {
        Set<String> out = new HashSet<>();
        for (Event e : client.v1().events().inNamespace(ns).list().getItems()) {
            if (about(e, name)) {
                out.add(e.getMetadata().getName());
            }
        }
        return out;
    }

    /**
     * How many times an event with this reason (and a message containing {@code contains}) was reported on this
     * ErlangRelease, leaving out the Events named in {@code before}: the sum of their {@code count}, since
     * Kubernetes may aggregate repeats of one event into one object.
     */
    public static long occurrences(KubernetesClient client, String ns, String name, Set<String> before, String reason,
            String contains) {
        long n = 0;
        for (Event e : client.v1().events().inNamespace(ns).list().getItems()) {
            if (about(e, name) && !before.contains(e.getMetadata().getName())
                    && reason.equals(e.getReason()) && e.getMessage() != null && e.getMessage().contains(contains)) {
                n += e.getCount() == null ? 1 : Math.max(1, e.getCount());
            }
        }
        return n;
    }

    private static boolean about(Event e, String name) {
        return e.getInvolvedObject() != null && KIND.equals(e.getInvolvedObject().getKind())
                && name.equals(e.getInvolvedObject().getName());
    }
}
