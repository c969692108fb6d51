package dev.relup.operator.observe;

import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

/**
 * An informer's cache that keeps each object without its {@code metadata.managedFields}. The operator never reads
 * them (it writes with server-side apply, sending its own fields), and they were most of what the caches held: each
 * field path is a nested map, and at 100 ErlangReleases the maps of the cached pods, StatefulSets, Jobs and releases
 * were ~100,000 objects of the operator's live heap.
 */
public final class ManagedFieldsDroppingStore<V extends HasMetadata> implements ItemStore<V> {

    private final BasicItemStore<V> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

    @Override
    public String getKey(V item) {
        return store.getKey(item);
    }

    @Override
    public V put(String key, V item) {
        // the informer's own copy, decoded for this store: nobody else holds it yet
        item.getMetadata().setManagedFields(null);
        return store.put(key, item);
    }

    @Override
    public V remove(String key) {
        return store.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return store.keySet();
    }

    @Override
    public Stream<V> values() {
        return store.values();
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public V get(String key) {
        return store.get(key);
    }
}
