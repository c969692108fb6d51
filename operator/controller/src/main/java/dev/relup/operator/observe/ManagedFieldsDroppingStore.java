package dev.relup.operator.observe;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer's cache that keeps each object without its {@code metadata.managedFields}. The operator never reads
 * them (it writes with server-side apply, sending its own fields), and they were most of what the caches held: each
 * field path is a nested map, and at 100 ErlangReleases the maps of the cached pods, StatefulSets, Jobs and releases
 * were ~100,000 objects of the operator's live heap.
 */
public final class ManagedFieldsDroppingStore<V extends HasMetadata> extends BasicItemStore<V> {

    public ManagedFieldsDroppingStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public V put(String key, V item) {
        // the informer's own copy, decoded for this store: nobody else holds it yet
        item.getMetadata().setManagedFields(null);
        return super.put(key, item);
    }
}
