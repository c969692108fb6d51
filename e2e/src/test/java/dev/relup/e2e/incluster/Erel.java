package dev.relup.e2e.incluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/** ErlangRelease as a user sees it (untyped), the minimal bits of dev.relup.e2e.operator.Erel this test needs. */
final class Erel {

    static final String API_VERSION = "relup.dev/v1alpha1";
    static final String KIND = "ErlangRelease";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Erel() {}

    /** Server-side applies the CRD file and waits until it is established. */
    static void applyCrd(KubernetesClient client, Path file) throws Exception {
        try (var in = Files.newInputStream(file)) {
            CustomResourceDefinition def = client.apiextensions().v1().customResourceDefinitions().load(in).item();
            client.resource(def).forceConflicts().serverSideApply();
        }
        client.apiextensions().v1().customResourceDefinitions().withName("erlangreleases.relup.dev")
                .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                        && c.getStatus().getConditions().stream().anyMatch(x -> x.getType().equals("Established")
                        && x.getStatus().equals("True")), 60, TimeUnit.SECONDS);
    }

    static void create(KubernetesClient client, String ns, String name, Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(API_VERSION);
        r.setKind(KIND);
        r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        r.setAdditionalProperty("spec", spec);
        client.genericKubernetesResources(API_VERSION, KIND).inNamespace(ns).resource(r).create();
    }

    static void patchSpec(KubernetesClient client, String ns, String name, Map<String, Object> specChanges) throws Exception {
        client.genericKubernetesResources(API_VERSION, KIND).inNamespace(ns).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), JSON.writeValueAsString(Map.of("spec", specChanges)));
    }

    static JsonNode get(KubernetesClient client, String ns, String name) {
        GenericKubernetesResource r = client.genericKubernetesResources(API_VERSION, KIND).inNamespace(ns).withName(name).get();
        return r == null ? null : JSON.valueToTree(r);
    }

    static String condition(JsonNode erel, String type, String field) {
        for (JsonNode c : erel.path("status").path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c.path(field).asText(null);
            }
        }
        return null;
    }

    /** Ready on {@code version} with every pod ready, for the latest generation. */
    static boolean readyOn(JsonNode erel, String version, int replicas) {
        return erel != null
                && "True".equals(condition(erel, "Ready", "status"))
                && version.equals(erel.path("status").path("currentVersion").asText())
                && (replicas + "/" + replicas).equals(erel.path("status").path("readyPods").asText())
                && erel.path("metadata").path("generation").asLong() == erel.path("status").path("observedGeneration").asLong();
    }

    static JsonNode lastHistory(JsonNode erel) {
        JsonNode h = erel.path("status").path("history");
        return h.size() == 0 ? null : h.get(h.size() - 1);
    }

    /** Events on the ErlangRelease, oldest first, as "Reason: message". */
    static List<String> events(KubernetesClient client, String ns, String name) {
        List<Event> ev = new ArrayList<>(client.v1().events().inNamespace(ns).list().getItems());
        ev.removeIf(e -> e.getInvolvedObject() == null || !KIND.equals(e.getInvolvedObject().getKind())
                || !name.equals(e.getInvolvedObject().getName()));
        ev.sort(Comparator.comparing(e -> e.getMetadata().getCreationTimestamp()));
        List<String> out = new ArrayList<>();
        for (Event e : ev) {
            out.add(e.getReason() + ": " + e.getMessage());
        }
        return out;
    }
}
