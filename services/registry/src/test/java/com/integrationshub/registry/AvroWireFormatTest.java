package com.integrationshub.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Wire-format checks the deserializer makes before it needs a registry. */
class AvroWireFormatTest {

    /** Nothing listens here: these checks must fail before any request. */
    private final SchemaRegistryClient unreachable = new SchemaRegistryClient("http://127.0.0.1:9");

    @Test
    void shouldReadNullAsNullAndWriteNullAsNull() {
        assertNull(new AvroDeserializer(unreachable).deserialize("events", null));
        assertNull(new AvroSerializer(unreachable).serialize("events", null));
    }

    @Test
    void shouldRefuseWrongMagicByteNamingTopicAndByte() {
        final SerializationException e = assertThrows(
                SerializationException.class,
                () -> new AvroDeserializer(unreachable).deserialize("events", new byte[] {1, 0, 0, 0, 1, 2}));
        assertTrue(e.getMessage().contains("'events'") && e.getMessage().contains("magic byte 0x01"), e.getMessage());
    }

    @Test
    void shouldRefuseValueShorterThanHeader() {
        final SerializationException e = assertThrows(
                SerializationException.class,
                () -> new AvroDeserializer(unreachable).deserialize("events", new byte[] {0, 0, 1}));
        assertTrue(e.getMessage().contains("'events'") && e.getMessage().contains("3 bytes long"), e.getMessage());
    }

    @Test
    void shouldSayRegistryCouldNotBeReachedForSchemaId() {
        final SchemaRegistryClient client = new SchemaRegistryClient(
                "http://127.0.0.1:9", java.time.Duration.ofMillis(500), java.time.Duration.ofMillis(500));
        final SerializationException e = assertThrows(
                SerializationException.class,
                () -> new AvroDeserializer(client).deserialize("events", new byte[] {0, 0, 0, 0, 42, 2}));
        assertTrue(e.getMessage().contains("'events'") && e.getMessage().contains("schema id 42"), e.getMessage());
    }

    @Test
    void shouldRequireRegistryUrlWhenConfiguredTheKafkaWay() {
        final AvroDeserializer deserializer = new AvroDeserializer();
        final var e = assertThrows(
                org.apache.kafka.common.config.ConfigException.class, () -> deserializer.configure(Map.of(), false));
        assertTrue(e.getMessage().contains(SchemaRegistryClient.REGISTRY_URL_CONFIG), e.getMessage());
    }

    @Test
    void shouldNameSubjectAfterTopicAndRecordFullName() {
        assertEquals(
                "events-com.integrationshub.test.Probe", AvroSerializer.subject("events", ProbeRecord.schema("[]")));
    }
}
