package com.integrationshub.query.pipeline;

import static com.integrationshub.query.pipeline.PipelineFixture.integrationBody;
import static com.integrationshub.query.pipeline.PipelineFixture.mappingBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.SetCredentials;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.query.commands.CommandGateway;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.registry.AvroSerializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.replies.CommandOutcome;
import com.integrationshub.runtime.kafka.DeadLetters;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.TestTokens;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Records that cannot be read (garbage bytes, unknown schema ids, truncated payloads) produced straight onto the
 * commands, events and outcomes topics, and commands too large to be applied, leave the hub serving reads and writes, before
 * and after a restart on the same state dir; every unreadable record is on the dead-letter topic with its source
 * topic, partition and offset. The steps build on each other, so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoisonRecordsTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    /** The issue's API key: a body under 1 MiB, a CredentialsSet event over Kafka's record limit. */
    private static final int ISSUE_KEY_BYTES = 1_048_320;

    private static HubInstance.Deployment deployment;
    private static Path stateDir;
    private static HubInstance hub;
    private static Http admin;
    private static Http orgA;
    private static final List<String> expectedDeadLetters = new ArrayList<>();
    private static int writes;

    @BeforeAll
    static void start() {
        deployment = HubInstance.Deployment.fresh();
        stateDir = HubInstance.newStateDir();
        hub = HubInstance.start(deployment, stateDir, HubInstance.freePort());
        connect();
        Await.ready(admin);
        assertEquals(
                201, admin.post("/v1/integrations", integrationBody("Keys")).status(), "create Keys");
        assertWritesAndReadsWork();
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
    }

    @Test
    @Order(1)
    void shouldAnswer413ToTheIssuesOversizedConnectAndKeepServing() {
        String body =
                "{\"auth_scheme\": \"API_KEY\", \"data\": {\"api_key\": \"" + "k".repeat(ISSUE_KEY_BYTES) + "\"}}";
        assertTrue(body.length() < 1024 * 1024, "the body is under 1 MiB");

        Http.Reply reply = orgA.post("/v1/orgs/org-a/integrations/Keys/connect", body);

        assertEquals(
                413,
                reply.status(),
                "expected 413 for a body over 512 KiB, got " + reply.status() + " " + abbreviate(reply.body()));
        assertWritesAndReadsWork();
    }

    @Test
    @Order(2)
    void shouldRejectACommandOverTheRecordBudgetSentStraightToTheCommandsTopic() throws Exception {
        SetCredentials oversized = SetCredentials.newBuilder()
                .setCommandId("oversized-1")
                .setIssuedAt(Instant.now())
                .setIssuedBy("test")
                .setConnectionId("c-1")
                .setIntegrationName("Keys")
                .setOrgId("org-a")
                .setAuthScheme(AuthScheme.API_KEY)
                .setValues(Map.of(
                        "api_key",
                        SealedSecret.newBuilder()
                                .setKeyId(1L)
                                .setCiphertext(ByteBuffer.wrap(new byte[1_040_000]))
                                .build()))
                .build();

        CommandOutcome outcome = hub.context()
                .getBean(CommandGateway.class)
                .send("Keys", "oversized-1", oversized)
                .get(60, TimeUnit.SECONDS);

        assertFalse(outcome.getAccepted(), "expected the oversized command rejected, got " + outcome);
        assertEquals(413, outcome.getProblem().getStatus(), "expected a 413 problem, got " + outcome.getProblem());
        assertRunning();
        assertWritesAndReadsWork();
    }

    @Test
    @Order(3)
    void shouldSendUnreadableCommandsAndEventsToTheDeadLetterTopicAndGoOn() {
        produceGarbage(deployment.commandsTopic());
        produceGarbage(deployment.eventsTopic());
        // The outcomes topic is read by every instance's outcome listener, which skips what it cannot read.
        produceGarbage(PipelineFixture.outcomesTopic(deployment));
        expectedDeadLetters.removeIf(source -> source.startsWith(PipelineFixture.outcomesTopic(deployment) + "-"));

        assertDeadLetters();
        assertRunning();
        assertWritesAndReadsWork();
    }

    @Test
    @Order(4)
    void shouldStartAndServeOnTheSameStateDirWithUnreadableRecordsInTheLog() {
        hub.close();
        // Written while no instance runs: the restarted one meets them first.
        produceGarbage(deployment.commandsTopic());
        produceGarbage(deployment.eventsTopic());
        hub = HubInstance.start(deployment, stateDir, HubInstance.freePort());
        connect();
        PipelineFixture.awaitSettled(WAIT, hub);

        assertDeadLetters();
        assertWritesAndReadsWork();
        Http.Reply health = new Http(hub.url(), TestTokens.admin()).get("/health");
        assertEquals(200, health.status(), "expected /health UP after the restart, got " + health);
    }

    @Test
    @Order(5)
    void shouldRejectACommandThatThrowsWhileBeingDecidedWithA500AndGoOn() throws Exception {
        assertEquals(
                201, admin.post("/v1/integrations", integrationBody("Corrupt")).status(), "create Corrupt");
        hub.close();
        // A state that no longer reads (a corrupted changelog record): deciding any command of it throws.
        String changelog = deployment.properties().get("hub.streams.application-id") + "-integrations-view-changelog";
        Properties props = new Properties();
        props.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            changelog,
                            "Corrupt".getBytes(StandardCharsets.UTF_8),
                            "not a state".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }
        hub = HubInstance.start(deployment, stateDir, HubInstance.freePort());
        connect();
        PipelineFixture.awaitSettled(WAIT, hub);

        Http.Reply patch = Await.until(
                WAIT,
                () -> admin.patch("/v1/integrations/Corrupt", "{\"description\": \"x\"}"),
                reply -> reply.status() != 503,
                "the PATCH to be decided");

        assertEquals(
                500, patch.status(), "expected a 500 problem for a command that throws while decided, got " + patch);
        assertEquals(
                "https://integrations-hub.dev/problems/internal",
                patch.json().path("type").asText(),
                patch.body());
        assertRunning();
        assertWritesAndReadsWork();
    }

    private static void connect() {
        admin = new Http(hub.url(), TestTokens.admin());
        orgA = new Http(hub.url(), TestTokens.org("org-a"));
    }

    /** A normal write (mapping, connect) is decided and read back. */
    private static void assertWritesAndReadsWork() {
        writes++;
        Http.Reply mapping = admin.put(
                "/v1/integrations/Keys/mappings/org-a", mappingBody("tenant-a", Map.of("tier", "t" + writes)));
        assertTrue(mapping.status() == 200 || mapping.status() == 201, "expected the mapping upserted, got " + mapping);
        Http.Reply connect = orgA.post(
                "/v1/orgs/org-a/integrations/Keys/connect",
                "{\"auth_scheme\": \"API_KEY\", \"data\": {\"api_key\": \"sk-" + writes + "\"}}");
        assertEquals(201, connect.status(), "expected the connect to answer 201, got " + connect);
        Http.Reply view = orgA.get("/v1/orgs/org-a/integrations/Keys");
        assertEquals(200, view.status(), "expected the org view, got " + view);
        assertEquals(
                "t" + writes, view.json().path("config").path("tier").asText(), "expected the new override: " + view);
        Http.Reply credentials = orgA.get("/v1/orgs/org-a/integrations/Keys/credentials");
        assertEquals(
                "Bearer sk-" + writes,
                credentials.json().path("Authorization").asText(),
                "expected the new key's header, got " + credentials);
        // The history reads the integration's partition itself: the unreadable records keyed "Keys" are passed over.
        Http.Reply history = admin.get("/v1/integrations/Keys/history");
        assertEquals(200, history.status(), "expected the history, got " + abbreviate(history.body()));
        assertTrue(history.body().contains("\"tier\":\"t" + writes + "\""), "the last override in the history");
    }

    private static void assertRunning() {
        KafkaStreams streams = PipelineFixture.streams(hub);
        assertEquals(KafkaStreams.State.RUNNING, streams.state(), "expected Streams RUNNING");
    }

    /** Three unreadable records on the topic: not the wire format, an unknown schema id, a truncated payload. */
    private static void produceGarbage(String topic) {
        byte[] truncated;
        try (AvroSerializer serializer = new AvroSerializer(
                new SchemaRegistryClient(HubTestCluster.shared().registryUrl()))) {
            byte[] whole = serializer.serialize(
                    topic,
                    SetCredentials.newBuilder()
                            .setCommandId("to-truncate")
                            .setIssuedAt(Instant.now())
                            .setIssuedBy("test")
                            .setConnectionId("c")
                            .setIntegrationName("Keys")
                            .setOrgId("org-a")
                            .setAuthScheme(AuthScheme.NO_AUTH)
                            .setValues(Map.of())
                            .build());
            truncated = Arrays.copyOf(whole, 12);
        }
        List<byte[]> values = List.of(
                "not avro at all".getBytes(StandardCharsets.UTF_8),
                new byte[] {0, 0x7f, 0x12, 0x34, 0x56, 1, 2, 3},
                truncated);
        Properties props = new Properties();
        props.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] value : values) {
                RecordMetadata written = producer.send(
                                new ProducerRecord<>(topic, "Keys".getBytes(StandardCharsets.UTF_8), value))
                        .get(30, TimeUnit.SECONDS);
                expectedDeadLetters.add(written.topic() + "-" + written.partition() + "@" + written.offset());
            }
        } catch (Exception e) {
            throw new AssertionError("could not produce garbage onto " + topic, e);
        }
    }

    /** Waits until the dead-letter topic holds exactly one dead letter for every unreadable record produced. */
    private static void assertDeadLetters() {
        String topic = (String) deployment.properties().get("hub.kafka.topics.dead-letters");
        Set<String> expected = new TreeSet<>(expectedDeadLetters);
        List<String> found = Await.until(
                WAIT,
                () -> deadLetterSources(topic),
                sources -> new TreeSet<>(sources).equals(expected),
                "the dead-letter topic to hold " + expected);
        assertEquals(expected.size(), found.size(), "expected one dead letter per unreadable record, got " + found);
    }

    private static List<String> deadLetterSources(String topic) {
        Properties props = new Properties();
        props.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> sources = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String reason = DeadLetters.header(r.headers(), DeadLetters.REASON);
                    if (reason == null || reason.isBlank()) throw new AssertionError("a dead letter without a reason");
                    sources.add(DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC) + "-"
                            + DeadLetters.header(r.headers(), DeadLetters.SOURCE_PARTITION) + "@"
                            + DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET));
                }
            }
        }
        return sources;
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
