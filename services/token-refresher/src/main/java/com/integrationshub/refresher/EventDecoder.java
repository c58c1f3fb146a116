package com.integrationshub.refresher;

import com.integrationshub.events.OAuthConnectionCreated;
import com.integrationshub.events.OAuthConnectionDeleted;
import com.integrationshub.events.OAuthConnectionUpdated;
import com.integrationshub.events.TokenIssued;
import com.integrationshub.events.TokenRefreshFailed;
import com.integrationshub.events.TokenRefreshRequested;
import com.integrationshub.events.TokenRefreshed;
import com.integrationshub.events.TokenRevoked;
import com.integrationshub.registry.AvroDeserializer;
import com.integrationshub.registry.AvroSerializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.registry.SchemaRegistryException;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the events the refresher acts on from the events topic, which carries every aggregate's events: the record
 * type is found from the schema id in the Confluent header (fetched once per id), and only connection and token
 * events are decoded. Unreadable records are skipped with a warning, so one bad record does not stop refreshing;
 * a registry that does not answer throws {@link RegistryUnavailableException}, so the caller retries rather than
 * miss an event.
 */
@Singleton
public class EventDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(EventDecoder.class);
    private static final Set<String> WANTED = Set.of(
            OAuthConnectionCreated.getClassSchema().getFullName(),
            OAuthConnectionUpdated.getClassSchema().getFullName(),
            OAuthConnectionDeleted.getClassSchema().getFullName(),
            TokenIssued.getClassSchema().getFullName(),
            TokenRefreshed.getClassSchema().getFullName(),
            TokenRefreshFailed.getClassSchema().getFullName(),
            TokenRevoked.getClassSchema().getFullName(),
            TokenRefreshRequested.getClassSchema().getFullName());

    private final SchemaRegistryClient registry;
    private final AvroDeserializer deserializer;
    private final Map<Integer, Boolean> wantedById = new ConcurrentHashMap<>();

    public EventDecoder(SchemaRegistryClient registry) {
        this.registry = registry;
        this.deserializer = new AvroDeserializer(registry);
    }

    /**
     * Returns the event if it is one the refresher acts on, else null.
     *
     * @throws RegistryUnavailableException when the registry could not be asked for the record's schema
     */
    public SpecificRecord decode(String topic, int partition, long offset, byte[] value) {
        if (value == null || value.length < AvroSerializer.HEADER_SIZE || value[0] != AvroSerializer.MAGIC_BYTE) {
            LOG.warn("skipping a record of {}-{} at offset {}: not in the Confluent wire format", topic, partition, offset);
            return null;
        }
        final int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();
        Boolean wanted = wantedById.get(schemaId);
        if (wanted == null) {
            try {
                wanted = WANTED.contains(registry.schemaById(schemaId).getFullName());
            } catch (SchemaRegistryException e) {
                if (e.status() == SchemaRegistryException.NONE || e.status() >= 500) {
                    throw new RegistryUnavailableException(e);
                }
                LOG.warn("skipping a record of {}-{} at offset {}: {}", topic, partition, offset, e.getMessage());
                return null;
            }
            wantedById.put(schemaId, wanted);
        }
        if (!wanted) return null;
        try {
            return deserializer.deserialize(topic, value);
        } catch (RuntimeException e) {
            LOG.warn("skipping a record of {}-{} at offset {}: {}", topic, partition, offset, e.getMessage());
            return null;
        }
    }

    /** The schema registry did not answer; the record was not read. */
    static final class RegistryUnavailableException extends RuntimeException {
        RegistryUnavailableException(SchemaRegistryException cause) {
            super("the schema registry did not answer: " + cause.getMessage(), cause);
        }
    }

    /** The token id of a token event, or null for other events. */
    static String tokenId(SpecificRecord event) {
        final Schema.Field field = event.getSchema().getField("token_id");
        return field == null ? null : (String) event.get(field.pos());
    }

    /** The version of an event. */
    static long version(SpecificRecord event) {
        return (Long) event.get(event.getSchema().getField("version").pos());
    }
}
