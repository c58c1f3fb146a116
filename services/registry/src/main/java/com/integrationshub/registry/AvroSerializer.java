package com.integrationshub.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in the Confluent wire format: magic byte 0, the 4-byte big-endian schema id, then the
 * record in Avro binary encoding with its own schema.
 *
 * <p>The subject is {@code topic + "-" + record full name} (Confluent's TopicRecordNameStrategy), so one topic
 * carries several record types, each evolving on its own. A schema is registered on first use per subject and
 * remembered. Build it with a {@link SchemaRegistryClient}, or name it in producer properties and configure it
 * with {@value SchemaRegistryClient#REGISTRY_URL_CONFIG}.
 */
public final class AvroSerializer implements Serializer<SpecificRecord> {

    /** The first byte of every Confluent wire-format message. */
    public static final byte MAGIC_BYTE = 0;
    /** Magic byte and schema id: the bytes before the Avro payload. */
    public static final int HEADER_SIZE = 5;

    private final Map<Schema, DatumWriter<SpecificRecord>> writers = new ConcurrentHashMap<>();
    // Subjects by topic and schema, built once: the registry client keeps the ids by subject, and a subject string
    // made again per record would be hashed again on every lookup there.
    private final Map<TopicSchema, String> subjects = new ConcurrentHashMap<>();
    private volatile SchemaRegistryClient registry;

    /** Creates a serializer that must be {@link #configure configured} with a registry URL before use. */
    public AvroSerializer() {}

    /** Creates a serializer registering schemas through {@code registry}. */
    public AvroSerializer(SchemaRegistryClient registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Connects to the registry named by {@value SchemaRegistryClient#REGISTRY_URL_CONFIG}, unless built with a client. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = SchemaRegistryClient.fromConfig(configs);
        }
    }

    /** Returns the subject a record type's schema is registered under for a topic. */
    public static String subject(String topic, Schema schema) {
        return topic + "-" + schema.getFullName();
    }

    /** Returns the record in the Confluent wire format, or null for a null record. */
    @Override
    public byte[] serialize(String topic, SpecificRecord record) {
        if (record == null) {
            return null;
        }
        final SchemaRegistryClient client = registry;
        if (client == null) {
            throw new IllegalStateException("AvroSerializer is not configured: give it a SchemaRegistryClient or "
                    + SchemaRegistryClient.REGISTRY_URL_CONFIG);
        }
        final Schema schema = record.getSchema();
        final int id = id(client, topic, schema);
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        try {
            final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer(schema).write(record, encoder);
            encoder.flush();
        } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
            throw new SerializationException(
                    "Cannot write " + schema.getFullName() + " to topic '" + topic + "' with schema id " + id + ": "
                            + e.getMessage(),
                    e);
        }
        return out.toByteArray();
    }

    private int id(SchemaRegistryClient client, String topic, Schema schema) {
        final String subject = subjects.computeIfAbsent(new TopicSchema(topic, schema), k -> subject(topic, schema));
        try {
            return client.register(subject, schema);
        } catch (SchemaRegistryException e) {
            throw new SerializationException(
                    "Cannot write " + schema.getFullName() + " to topic '" + topic
                            + "': registering its schema under subject '" + subject + "' failed: " + e.getMessage(),
                    e);
        }
    }

    private record TopicSchema(String topic, Schema schema) {}

    private DatumWriter<SpecificRecord> writer(Schema schema) {
        return writers.computeIfAbsent(schema, s -> new SpecificDatumWriter<>(s, SpecificData.getForSchema(s)));
    }
}
