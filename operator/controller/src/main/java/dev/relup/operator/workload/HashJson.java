package dev.relup.operator.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * JSON of an object for hashing: map entries in key order, so equal objects give equal text in every JVM (a map built
 * with Map.of, e.g. {@code Labels.selector}, iterates in an order that changes from one JVM run to the next).
 */
final class HashJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private HashJson() {}

    static String of(Object o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + o.getClass().getSimpleName() + " for its hash", e);
        }
    }
}
