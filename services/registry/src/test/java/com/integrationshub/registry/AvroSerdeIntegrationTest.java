package com.integrationshub.registry;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.integrationshub.commands.UpsertMapping;
import com.integrationshub.events.MappingUpserted;
import com.integrationshub.events.TokenIssued;
import com.integrationshub.kafka.EmbeddedKafkaBroker;
import com.integrationshub.replies.CommandOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wire-format serde through a real broker and the local registry: round trips, evolution, bad bytes. */
class AvroSerdeIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> TOPICS =
            List.of("all-records", "legacy", "probes", "poison-magic", "poison-unknown-id", "poison-truncated");

    @TempDir
    static Path kafkaDir;

    private static EmbeddedKafkaBroker broker;
    private static LocalSchemaRegistry registry;
    private static SchemaRegistryClient client;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.start(kafkaDir);
        registry = LocalSchemaRegistry.start(broker.bootstrapServers(), "127.0.0.1", 0);
        client = new SchemaRegistryClient(registry.url());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(TOPICS.stream()
                            .map(t -> new NewTopic(t, 1, (short) 1))
                            .toList())
                    .all()
                    .get();
        }
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldRoundTripEveryGeneratedRecordTypeThroughBroker() throws Exception {
        final List<Class<? extends SpecificRecord>> types = GeneratedRecordTypes.inPackages(
                "com.integrationshub.events", "com.integrationshub.commands", "com.integrationshub.replies");
        assertTrue(
                types.containsAll(
                        List.of(MappingUpserted.class, TokenIssued.class, UpsertMapping.class, CommandOutcome.class)),
                "scan found " + types);
        assertTrue(types.size() >= 31, "15 events, 15 commands and a reply at least, found " + types);
        final List<SpecificRecord> samples =
                types.stream().<SpecificRecord>map(SampleRecords::sample).toList();

        try (KafkaProducer<String, SpecificRecord> producer =
                new KafkaProducer<>(producerProps(), new StringSerializer(), new AvroSerializer(client))) {
            for (SpecificRecord sample : samples) {
                producer.send(new ProducerRecord<>(
                                "all-records", sample.getSchema().getName(), sample))
                        .get();
            }
        }
        final Properties consumerProps = consumerProps();
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class.getName());
        consumerProps.put(SchemaRegistryClient.REGISTRY_URL_CONFIG, registry.url());
        final List<ConsumerRecord<String, SpecificRecord>> consumed;
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(consumerProps)) {
            consumed = readFromStart(consumer, "all-records", samples.size());
        }

        assertEquals(samples.size(), consumed.size());
        final List<Runnable> checks = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            final SpecificRecord expected = samples.get(i);
            final SpecificRecord actual = consumed.get(i).value();
            checks.add(() -> {
                assertEquals(expected.getClass(), actual.getClass(), "class read back");
                assertEquals(expected, actual, expected.getClass().getSimpleName() + " read back");
            });
        }
        assertAll(checks.stream().map(check -> (org.junit.jupiter.api.function.Executable) check::run));
        final List<String> subjects = new ArrayList<>();
        httpGet("/subjects").forEach(node -> subjects.add(node.asText()));
        for (Class<? extends SpecificRecord> type : types) {
            assertTrue(
                    subjects.contains("all-records-" + type.getName()),
                    "subject of " + type.getName() + " (topic + record name) in " + subjects);
        }
    }

    @Test
    void shouldDecodeOldEventIntoCurrentClassWithDefaultsFilled() throws Exception {
        final Schema current = TokenIssued.getClassSchema();
        final List<Schema.Field> oldFields = current.getFields().stream()
                .filter(f -> !f.hasDefaultValue())
                .map(f -> new Schema.Field(f, f.schema()))
                .toList();
        assertTrue(oldFields.size() < current.getFields().size(), "TokenIssued has fields with defaults");
        final Schema old =
                Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, oldFields);
        final TokenIssued today = SampleRecords.sample(TokenIssued.class);
        final GenericRecord written = new GenericData.Record(old);
        for (Schema.Field field : old.getFields()) {
            written.put(field.name(), today.get(field.name()));
        }
        final String subject = AvroSerializer.subject("legacy", old);
        final int oldId = client.register(subject, old);
        final byte[] bytes = frame(oldId, written, old);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("legacy", "token-1", bytes)).get();
        }

        final SpecificRecord read;
        try (KafkaConsumer<String, SpecificRecord> consumer =
                new KafkaConsumer<>(consumerProps(), new StringDeserializer(), new AvroDeserializer(client))) {
            read = readFromStart(consumer, "legacy", 1).get(0).value();
        }

        final TokenIssued decoded = assertInstanceOf(TokenIssued.class, read);
        final SpecificData model = SpecificData.getForClass(TokenIssued.class);
        final TokenIssued expected = model.deepCopy(current, today);
        for (Schema.Field field : current.getFields()) {
            if (field.hasDefaultValue()) {
                expected.put(field.pos(), model.getDefaultValue(field));
            }
        }
        assertEquals(expected, decoded);
        assertEquals("Bearer", decoded.getTokenType());
        assertEquals(List.of(), decoded.getScopes());
        assertNull(decoded.getRefreshToken());
        assertEquals(today.getAccessToken(), decoded.getAccessToken());

        final int todayId = client.register(subject, current);
        assertNotEquals(oldId, todayId, "today's schema is a new, backward-compatible version");
        assertEquals(2, httpGet("/subjects/" + subject + "/versions").size());
    }

    @Test
    void shouldRegisterCompatibleChangeAsNewVersionAndRefuseIncompatibleOne() {
        final Schema v1 = ProbeRecord.schema("[{\"name\":\"id\",\"type\":\"string\"}]");
        final Schema v2 = ProbeRecord.schema(
                "[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"note\",\"type\":\"string\",\"default\":\"none\"}]");
        final Schema v3 = ProbeRecord.schema(
                "[{\"name\":\"id\",\"type\":\"string\"},"
                        + "{\"name\":\"note\",\"type\":\"string\",\"default\":\"none\"},{\"name\":\"weight\",\"type\":\"int\"}]");
        final AvroSerializer serializer = new AvroSerializer(client);
        final String subject = "probes-com.integrationshub.test.Probe";

        final int id1 = schemaId(serializer.serialize("probes", new ProbeRecord(v1, "a")));
        final int id2 = schemaId(serializer.serialize("probes", new ProbeRecord(v2, "b", "noted")));
        final SerializationException refused = assertThrows(
                SerializationException.class,
                () -> serializer.serialize("probes", new ProbeRecord(v3, "c", "noted", 3)));

        assertNotEquals(id1, id2);
        assertEquals(2, httpGet("/subjects/" + subject + "/versions").size());
        assertEquals(
                id2,
                httpGet("/subjects/" + subject + "/versions/latest").get("id").intValue());
        assertTrue(
                refused.getMessage().contains("incompatible")
                        && refused.getMessage().contains("'" + subject + "'")
                        && refused.getMessage().contains("'probes'"),
                refused.getMessage());
        final SchemaRegistryException cause = assertInstanceOf(SchemaRegistryException.class, refused.getCause());
        assertEquals(409, cause.status());
        assertEquals(409, cause.errorCode());
        assertEquals(2, httpGet("/subjects/" + subject + "/versions").size(), "the refused schema added no version");
    }

    @Test
    void shouldStopConsumerAtRecordWithWrongMagicByte() {
        assertConsumerStopsAt(
                "poison-magic",
                good -> {
                    final byte[] bad = good.clone();
                    bad[0] = 7;
                    return bad;
                },
                "unknown magic byte 0x07");
    }

    @Test
    void shouldStopConsumerAtRecordWithUnknownSchemaId() {
        assertConsumerStopsAt(
                "poison-unknown-id",
                good -> {
                    final byte[] bad = good.clone();
                    ByteBuffer.wrap(bad, 1, 4).putInt(424242);
                    return bad;
                },
                "unknown schema id 424242");
    }

    @Test
    void shouldStopConsumerAtTruncatedRecord() {
        assertConsumerStopsAt("poison-truncated", good -> Arrays.copyOf(good, good.length / 2), "truncated");
    }

    @Test
    void shouldReadOnlyItsOwnTypeThroughTypedSerde() {
        final Serde<MappingUpserted> serde = AvroSerde.of(MappingUpserted.class, client);
        final MappingUpserted sample = SampleRecords.sample(MappingUpserted.class);

        final MappingUpserted read =
                serde.deserializer().deserialize("typed", serde.serializer().serialize("typed", sample));

        assertEquals(sample, read);
        final byte[] other = new AvroSerializer(client).serialize("typed", SampleRecords.sample(TokenIssued.class));
        final SerializationException e = assertThrows(
                SerializationException.class, () -> serde.deserializer().deserialize("typed", other));
        assertTrue(
                e.getMessage().contains("'typed'") && e.getMessage().contains(MappingUpserted.class.getName()),
                e.getMessage());
    }

    @Test
    void shouldWorkAsSerdeConfiguredTheKafkaWay() {
        try (AvroSerde serde = new AvroSerde()) {
            serde.configure(Map.of(SchemaRegistryClient.REGISTRY_URL_CONFIG, registry.url()), false);
            final CommandOutcome sample = SampleRecords.sample(CommandOutcome.class);

            final SpecificRecord read = serde.deserializer()
                    .deserialize("configured", serde.serializer().serialize("configured", sample));

            assertEquals(sample, read);
        }
    }

    // ---- helpers

    /**
     * Writes a good record, a bad one made from a good one's bytes, and a good one; a consumer must hand out the
     * first, then fail at the bad one on every poll, naming topic, partition and offset, until it seeks past it.
     */
    private static void assertConsumerStopsAt(String topic, Function<byte[], byte[]> spoil, String reason) {
        final AvroSerializer serializer = new AvroSerializer(client);
        final MappingUpserted first = SampleRecords.sample(MappingUpserted.class);
        final MappingUpserted third = SampleRecords.sample(MappingUpserted.class);
        third.setOrgId("org-3");
        final byte[] bad = spoil.apply(serializer.serialize(topic, SampleRecords.sample(MappingUpserted.class)));
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", serializer.serialize(topic, first)));
            producer.send(new ProducerRecord<>(topic, "k", bad));
            producer.send(new ProducerRecord<>(topic, "k", serializer.serialize(topic, third)));
            producer.flush();
        }
        final TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, SpecificRecord> consumer =
                new KafkaConsumer<>(consumerProps(), new StringDeserializer(), new AvroDeserializer(client))) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final List<ConsumerRecord<String, SpecificRecord>> before = new ArrayList<>();
            final RecordDeserializationException error = pollUntilFailure(consumer, before);

            assertEquals(1, before.size(), "records handed out before the bad one");
            assertEquals(first, before.get(0).value());
            assertFailureAt(error, partition, 1, reason);
            final List<ConsumerRecord<String, SpecificRecord>> skipped = new ArrayList<>();
            assertFailureAt(pollUntilFailure(consumer, skipped), partition, 1, reason);
            assertEquals(List.of(), skipped, "the bad record is not skipped silently");

            consumer.seek(partition, error.offset() + 1);
            final List<ConsumerRecord<String, SpecificRecord>> after = new ArrayList<>();
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (after.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(after::add);
            }
            assertEquals(1, after.size(), "the record after the bad one, once seeked past it");
            assertEquals(2, after.get(0).offset());
            assertEquals(third, after.get(0).value());
        }
    }

    private static RecordDeserializationException pollUntilFailure(
            KafkaConsumer<String, SpecificRecord> consumer, List<ConsumerRecord<String, SpecificRecord>> records) {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            } catch (RecordDeserializationException e) {
                return e;
            }
        }
        return fail("poll never failed; got " + records.size() + " records");
    }

    private static void assertFailureAt(
            RecordDeserializationException error, TopicPartition partition, long offset, String reason) {
        assertEquals(partition, error.topicPartition());
        assertEquals(offset, error.offset());
        assertEquals(RecordDeserializationException.DeserializationExceptionOrigin.VALUE, error.origin());
        assertTrue(
                error.getMessage().contains(partition.toString())
                        && error.getMessage().contains("offset " + offset),
                error.getMessage());
        final SerializationException cause = assertInstanceOf(SerializationException.class, error.getCause());
        assertTrue(
                cause.getMessage().contains("'" + partition.topic() + "'")
                        && cause.getMessage().contains(reason),
                "cause should name the topic and say \"" + reason + "\": " + cause.getMessage());
    }

    private static <V> List<ConsumerRecord<String, V>> readFromStart(
            KafkaConsumer<String, V> consumer, String topic, int count) {
        final TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        final List<ConsumerRecord<String, V>> records = new ArrayList<>();
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    private static byte[] frame(int schemaId, GenericRecord record, Schema schema) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<GenericRecord>(schema, SpecificData.getForClass(TokenIssued.class))
                .write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static int schemaId(byte[] wireFormat) {
        assertNotNull(wireFormat);
        assertEquals(0, wireFormat[0], "magic byte");
        return ByteBuffer.wrap(wireFormat, 1, 4).getInt();
    }

    private static Properties producerProps() {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    private static Properties consumerProps() {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return props;
    }

    private static JsonNode httpGet(String path) {
        try {
            final HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(registry.url() + path))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), path + ": " + response.body());
            return new ObjectMapper().readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
