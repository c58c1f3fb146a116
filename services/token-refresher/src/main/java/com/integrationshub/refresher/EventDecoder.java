package com.integrationshub.refresher;

import com.integrationshub.events.OAuthConnectionCreated;
import com.integrationshub.events.OAuthConnectionDeleted;
import com.integrationshub.events.OAuthConnectionUpdated;
import com.integrationshub.events.TokenIssued;
import com.integrationshub.events.TokenRefreshAttempted;
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

/**
 * Reads the events the refresher acts on from the events topic, which carries every aggregate's events: the record
 * type is found from the schema id in the Confluent header (fetched once per id), and only connection and token
 * events are decoded. An unreadable record throws {@link UnreadableException}, so the caller sends it to the
 * dead-letter topic and goes on; a registry that does not answer throws {@link RegistryUnavailableException}, so the
 * caller retries rather than miss an event.
 */
@Singleton
public class EventDecoder {

    private static final Set<String> WANTED = Set.of(
            OAuthConnectionCreated.getClassSchema().getFullName(),
            OAuthConnectionUpdated.getClassSchema().getFullName(),
            OAuthConnectionDeleted.getClassSchema().getFullName(),
            TokenIssued.getClassSchema().getFullName(),
            TokenRefreshed.getClassSchema().getFullName(),
            TokenRefreshFailed.getClassSchema().getFullName(),
            TokenRevoked.getClassSchema().getFullName(),
            TokenRefreshRequested.getClassSchema().getFullName(),
            TokenRefreshAttempted.getClassSchema().getFullName());

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
     * @throws UnreadableException           when the record is not the wire format, its schema id is unknown, or its
     *                                       payload does not decode
     */
    public SpecificRecord decode(String topic, int partition, long offset, byte[] value) {
        if (value == null || value.length < AvroSerializer.HEADER_SIZE || value[0] != AvroSerializer.MAGIC_BYTE) {
            throw new UnreadableException(
                    "not in the Confluent wire format (magic byte 0 and a 4-byte schema id)", null);
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
                throw new UnreadableException(
                        "schema id " + schemaId + " is unknown to the registry: " + e.getMessage(), e);
            }
            wantedById.put(schemaId, wanted);
        }
        if (!wanted) return null;
        try {
            return deserializer.deserialize(topic, value);
        } catch (RuntimeException e) {
            if (SchemaRegistryException.isUnavailable(e)) {
                throw new RegistryUnavailableException(new SchemaRegistryException(e.getMessage(), e));
            }
            throw new UnreadableException(e.getMessage(), e);
        }
    }

    /** The record cannot be read and never will be: it belongs on the dead-letter topic. */
    static final class UnreadableException extends RuntimeException {
        UnreadableException(String message, Throwable cause) {
            super(message, cause);
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
