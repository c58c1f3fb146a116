package com.integrationshub.query.streams;

import com.integrationshub.domain.Names;
import com.integrationshub.domain.integration.IntegrationDecider;
import com.integrationshub.domain.mapping.MappingDecider;
import com.integrationshub.events.IntegrationDeleted;
import com.integrationshub.events.MappingDeleted;
import com.integrationshub.events.MappingUpserted;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** Folds one event into a pair of integration and mapping stores (the decision state and the views alike). */
final class ViewUpdates {

    private static final StringSerializer KEYS = new StringSerializer();

    private ViewUpdates() {
    }

    /** Applies an event of the integration with that name. */
    static void apply(KeyValueStore<String, IntegrationState> integrations, KeyValueStore<String, MappingState> mappings,
                      String integrationName, SpecificRecord event) {
        if (event instanceof MappingUpserted || event instanceof MappingDeleted) {
            String orgId = RecordFields.string(event, "org_id");
            String key = Names.mappingKey(integrationName, orgId);
            put(mappings, key, MappingDecider.evolve(Optional.ofNullable(mappings.get(key)), event));
            return;
        }
        put(integrations, integrationName,
                IntegrationDecider.evolve(Optional.ofNullable(integrations.get(integrationName)), event));
        if (event instanceof IntegrationDeleted) {
            for (MappingState mapping : mappingsOf(mappings, integrationName)) {
                mappings.delete(Names.mappingKey(integrationName, mapping.getOrgId()));
            }
        }
    }

    /** Every mapping of an integration, by a prefix scan of the store. */
    static List<MappingState> mappingsOf(KeyValueStore<String, MappingState> mappings, String integrationName) {
        List<MappingState> found = new ArrayList<>();
        try (KeyValueIterator<String, MappingState> it = mappings.prefixScan(Names.mappingPrefix(integrationName), KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, MappingState> next = it.next();
                found.add(next.value);
            }
        }
        return found;
    }

    private static <V> void put(KeyValueStore<String, V> store, String key, Optional<V> value) {
        if (value.isPresent()) store.put(key, value.get());
        else store.delete(key);
    }
}
