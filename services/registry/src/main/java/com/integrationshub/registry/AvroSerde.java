package com.integrationshub.registry;

import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The Confluent wire-format Avro {@link AvroSerializer} and {@link AvroDeserializer} as one {@link Serde}, for
 * Kafka Streams topics carrying several record types. {@link #of(Class, SchemaRegistryClient)} gives a serde of
 * one record type, for state stores and typed streams.
 */
public final class AvroSerde implements Serde<SpecificRecord> {

    private final AvroSerializer serializer;
    private final AvroDeserializer deserializer;

    /** Creates a serde that must be {@link #configure configured} with a registry URL before use. */
    public AvroSerde() {
        this.serializer = new AvroSerializer();
        this.deserializer = new AvroDeserializer();
    }

    /** Creates a serde using {@code registry}. */
    public AvroSerde(SchemaRegistryClient registry) {
        this.serializer = new AvroSerializer(registry);
        this.deserializer = new AvroDeserializer(registry);
    }

    /** Returns a serde of records of {@code type} only: other records read from its bytes are refused. */
    public static <T extends SpecificRecord> Serde<T> of(Class<T> type, SchemaRegistryClient registry) {
        return new Typed<>(type, registry);
    }

    /** Connects to the registry named by {@value SchemaRegistryClient#REGISTRY_URL_CONFIG}, unless built with a client. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    /** Returns the serializer of this serde. */
    @Override
    public Serializer<SpecificRecord> serializer() {
        return serializer;
    }

    /** Returns the deserializer of this serde. */
    @Override
    public Deserializer<SpecificRecord> deserializer() {
        return deserializer;
    }

    /** A serde of one generated record type, decoding every message into that type's current schema. */
    private static final class Typed<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

        private final Class<T> type;
        private final AvroSerializer serializer;
        private final AvroDeserializer deserializer;

        Typed(Class<T> type, SchemaRegistryClient registry) {
            this.type = Objects.requireNonNull(type, "type");
            this.serializer = new AvroSerializer(registry);
            this.deserializer = new AvroDeserializer(registry, type);
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            // Built with its registry client: nothing to configure.
        }

        @Override
        public byte[] serialize(String topic, T record) {
            return serializer.serialize(topic, record);
        }

        @Override
        public T deserialize(String topic, byte[] data) {
            final SpecificRecord record = deserializer.deserialize(topic, data);
            if (record != null && !type.isInstance(record)) {
                throw new SerializationException("Cannot deserialize a record of topic '" + topic + "': expected "
                        + type.getName() + ", read " + record.getClass().getName());
            }
            return type.cast(record);
        }

        @Override
        public void close() {
            serializer.close();
            deserializer.close();
        }

        @Override
        public Serializer<T> serializer() {
            return this;
        }

        @Override
        public Deserializer<T> deserializer() {
            return this;
        }
    }
}
