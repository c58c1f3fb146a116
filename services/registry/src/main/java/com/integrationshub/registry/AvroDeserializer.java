package com.integrationshub.registry;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Avro records in the Confluent wire format into today's generated classes.
 *
 * <p>The schema id in the message names the writer's schema, fetched from the registry once. The record is decoded
 * with Avro schema resolution from that writer schema into the {@code SCHEMA$} of the generated class of the same
 * full name, so an event written years ago with an older schema reads as the current class (fields added since
 * take their defaults). Bytes that are not such a message throw a {@link SerializationException} naming the topic
 * and the reason; null reads as null. Build it with a {@link SchemaRegistryClient}, or name it in consumer
 * properties and configure it with {@value SchemaRegistryClient#REGISTRY_URL_CONFIG}.
 */
public final class AvroDeserializer implements Deserializer<SpecificRecord> {

    private final Class<? extends SpecificRecord> readerClass;
    // By writer schema id: the class a record is read into follows from it (or is this deserializer's one class).
    private final Map<Integer, Reading> readings = new ConcurrentHashMap<>();
    private volatile SchemaRegistryClient registry;

    /** How the records of one writer schema are read: into which class, by which reader. */
    private record Reading(Class<? extends SpecificRecord> target, DatumReader<SpecificRecord> reader) {}

    /** Creates a deserializer that must be {@link #configure configured} with a registry URL before use. */
    public AvroDeserializer() {
        this.readerClass = null;
    }

    /** Creates a deserializer fetching writer schemas through {@code registry}. */
    public AvroDeserializer(SchemaRegistryClient registry) {
        this(registry, null);
    }

    /** Creates a deserializer that reads every record as {@code readerClass}, or by the writer's name if null. */
    AvroDeserializer(SchemaRegistryClient registry, Class<? extends SpecificRecord> readerClass) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.readerClass = readerClass;
    }

    /** Connects to the registry named by {@value SchemaRegistryClient#REGISTRY_URL_CONFIG}, unless built with a client. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = SchemaRegistryClient.fromConfig(configs);
        }
    }

    /**
     * Returns the record decoded into its current generated class, or null for null data.
     *
     * @throws SerializationException if the data is not a Confluent wire-format Avro record this deserializer can
     *                                read: wrong magic byte, unknown schema id, no generated class, truncated or
     *                                corrupt payload
     */
    @Override
    public SpecificRecord deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        final SchemaRegistryClient client = registry;
        if (client == null) {
            throw new IllegalStateException("AvroDeserializer is not configured: give it a SchemaRegistryClient or "
                    + SchemaRegistryClient.REGISTRY_URL_CONFIG);
        }
        if (data.length < AvroSerializer.HEADER_SIZE) {
            throw failure(
                    topic,
                    "the value is " + data.length + " bytes long, shorter than the " + AvroSerializer.HEADER_SIZE
                            + "-byte Confluent header (magic byte 0 and 4-byte schema id)",
                    null);
        }
        if (data[0] != AvroSerializer.MAGIC_BYTE) {
            throw failure(
                    topic,
                    String.format(
                            "unknown magic byte 0x%02x (expected 0x00 of the Confluent wire format)", data[0] & 0xff),
                    null);
        }
        final int id = ByteBuffer.wrap(data, 1, 4).getInt();
        final Schema writer;
        try {
            writer = client.schemaById(id);
        } catch (SchemaRegistryException e) {
            final String reason = e.status() == 404
                    ? "unknown schema id " + id + ": the schema registry has no such schema"
                    : "cannot fetch the writer schema id " + id + " from the schema registry";
            throw failure(topic, reason + " (" + e.getMessage() + ")", e);
        }
        final Reading reading = readings.computeIfAbsent(
                id, key -> newReading(writer, readerClass != null ? readerClass : generatedClass(topic, id, writer)));
        final Class<? extends SpecificRecord> target = reading.target();
        final DatumReader<SpecificRecord> reader = reading.reader();
        final BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(data, AvroSerializer.HEADER_SIZE, data.length - AvroSerializer.HEADER_SIZE, null);
        final SpecificRecord record;
        try {
            record = reader.read(null, decoder);
        } catch (EOFException e) {
            throw failure(
                    topic,
                    "the payload of schema id " + id + " (" + writer.getFullName()
                            + ") is truncated: it ended before the record was complete",
                    e);
        } catch (AvroTypeException e) {
            throw failure(
                    topic,
                    "the payload of schema id " + id + " (" + writer.getFullName() + ") cannot be read as "
                            + target.getName() + ": " + e.getMessage(),
                    e);
        } catch (IOException | RuntimeException e) {
            throw failure(
                    topic, "the payload of schema id " + id + " (" + writer.getFullName() + ") is corrupt: " + e, e);
        }
        final int leftOver = remaining(decoder);
        if (leftOver > 0) {
            throw failure(
                    topic,
                    "the payload of schema id " + id + " (" + writer.getFullName() + ") has " + leftOver
                            + " bytes left over after the record: it was not written with that schema",
                    null);
        }
        return record;
    }

    private static Class<? extends SpecificRecord> generatedClass(String topic, int id, Schema writer) {
        if (writer.getType() != Schema.Type.RECORD) {
            throw failure(topic, "schema id " + id + " is a " + writer.getType() + ", not an Avro record", null);
        }
        final Class<?> found = SpecificData.get().getClass(writer);
        if (found == null || !SpecificRecord.class.isAssignableFrom(found)) {
            throw failure(
                    topic,
                    "schema id " + id + " is " + writer.getFullName()
                            + ", but no generated SpecificRecord class of that name is on the classpath",
                    null);
        }
        return found.asSubclass(SpecificRecord.class);
    }

    private static Reading newReading(Schema writer, Class<? extends SpecificRecord> target) {
        final SpecificData model = SpecificData.getForClass(target);
        return new Reading(target, new SpecificDatumReader<>(writer, model.getSchema(target), model));
    }

    private static int remaining(BinaryDecoder decoder) {
        try {
            return decoder.isEnd() ? 0 : Math.max(1, decoder.inputStream().available());
        } catch (IOException e) {
            return 1;
        }
    }

    private static SerializationException failure(String topic, String reason, Throwable cause) {
        return new SerializationException(
                "Cannot deserialize an Avro record of topic '" + topic + "': " + reason, cause);
    }
}
