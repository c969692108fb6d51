package dev.relup.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

class ManagedFieldsDroppingStoreTest {

    @Test
    void anObjectIsKeptWholeButItsManagedFields() {
        Pod pod = new PodBuilder().withNewMetadata().withName("ticker-0").withNamespace("ns").withResourceVersion("7")
                .withLabels(Map.of("relup.dev/release", "ticker"))
                .withManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("kubelet").withOperation("Update")
                        .withNewFieldsV1().addToAdditionalProperties("f:status", Map.of("f:podIP", Map.of())).endFieldsV1()
                        .build()))
                .endMetadata()
                .withNewStatus().withPodIP("10.0.0.1").endStatus().build();
        ManagedFieldsDroppingStore<Pod> store = new ManagedFieldsDroppingStore<>();
        String key = store.getKey(pod);
        store.put(key, pod);

        Pod cached = store.get("ns/ticker-0");
        assertThat(key).isEqualTo("ns/ticker-0");
        assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(cached.getMetadata().getLabels()).containsEntry("relup.dev/release", "ticker");
        assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(cached.getStatus().getPodIP()).isEqualTo("10.0.0.1");
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.remove(key)).isSameAs(cached);
        assertThat(store.values()).isEmpty();
    }
}
