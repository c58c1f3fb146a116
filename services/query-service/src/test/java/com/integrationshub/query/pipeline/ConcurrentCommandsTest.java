package com.integrationshub.query.pipeline;

import static com.integrationshub.query.pipeline.PipelineFixture.allAtOnce;
import static com.integrationshub.query.pipeline.PipelineFixture.historyEntries;
import static com.integrationshub.query.pipeline.PipelineFixture.historyEntriesOfType;
import static com.integrationshub.query.pipeline.PipelineFixture.integrationBody;
import static com.integrationshub.query.pipeline.PipelineFixture.mappingBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.commands.UpsertMapping;
import com.integrationshub.domain.EventIds;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.registry.AvroDeserializer;
import com.integrationshub.registry.AvroSerializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.replies.CommandOutcome;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Commands racing for one aggregate, stale versions and repeated command ids, decided through the real broker. */
class ConcurrentCommandsTest {

    private static HubInstance.Deployment deployment;
    private static HubInstance hub;
    private static Http admin;

    @BeforeAll
    static void start() {
        deployment = HubInstance.Deployment.fresh();
        hub = HubInstance.start(deployment);
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
    }

    @Test
    void shouldAcceptExactlyOneOfFiftyConcurrentCreatesOfOneName() {
        List<Callable<Http.Reply>> creates = new ArrayList<>();
        for (int i = 0; i < 50; i++) creates.add(() -> admin.post("/v1/integrations", integrationBody("Racer")));

        List<Http.Reply> replies = allAtOnce(creates);

        Map<Integer, Long> byStatus =
                replies.stream().collect(Collectors.groupingBy(Http.Reply::status, Collectors.counting()));
        assertEquals(
                Map.of(201, 1L, 409, 49L),
                byStatus,
                "expected one 201 and 49 409 from 50 concurrent creates of one name");
        for (Http.Reply reply : replies) {
            if (reply.status() != 409) continue;
            assertTrue(
                    reply.contentType().startsWith("application/problem+json"),
                    "expected a 409 as application/problem+json, got " + reply);
            assertEquals(409, reply.json().path("status").asInt(), "expected status 409 in the problem, got " + reply);
        }
        Http.Reply history = admin.get("/v1/integrations/Racer/history");
        assertEquals(200, history.status(), history.toString());
        assertEquals(1, history.json().size(), "expected one event in the history of Racer, got " + history.body());
        assertEquals("IntegrationCreated", history.json().get(0).path("type").asText(), history.body());
    }

    @Test
    void shouldRefuseStaleIfMatchWith412AndAppendNothing() {
        assertEquals(
                201, admin.post("/v1/integrations", integrationBody("Stale")).status());
        Http.Reply changed = admin.send(
                "PATCH", "/v1/integrations/Stale", "{\"description\": \"second\"}", Map.of("If-Match", "\"1\""));
        assertEquals(200, changed.status(), "expected 200 for If-Match of the current version, got " + changed);
        assertEquals("\"2\"", changed.etag(), "expected ETag \"2\" after one change, got " + changed.etag());
        Http.Reply mapped =
                admin.put("/v1/integrations/Stale/mappings/org-1", mappingBody("tenant-1", Map.of("timeout", 5)));
        assertEquals(201, mapped.status(), mapped.toString());
        var before = PipelineFixture.endOffsets(deployment.eventsTopic());

        Http.Reply patch = admin.send(
                "PATCH", "/v1/integrations/Stale", "{\"description\": \"third\"}", Map.of("If-Match", "\"1\""));
        Http.Reply defaults = admin.send(
                "PUT",
                "/v1/integrations/Stale/defaults",
                "{\"config\": {\"timeout\": 1}}",
                Map.of("If-Match", "\"1\""));
        Http.Reply mapping = admin.send(
                "PUT",
                "/v1/integrations/Stale/mappings/org-1",
                mappingBody("tenant-2", Map.of()),
                Map.of("If-Match", "\"7\""));
        Http.Reply delete = admin.send("DELETE", "/v1/integrations/Stale", null, Map.of("If-Match", "\"1\""));

        for (Http.Reply stale : List.of(patch, defaults, mapping, delete)) {
            assertEquals(412, stale.status(), "expected 412 for a stale If-Match, got " + stale);
            assertTrue(
                    stale.contentType().startsWith("application/problem+json"), "expected problem+json, got " + stale);
        }
        assertEquals(
                before,
                PipelineFixture.endOffsets(deployment.eventsTopic()),
                "expected the events topic's end offsets unchanged by four rejected commands");
        Http.Reply current = admin.get("/v1/integrations/Stale");
        assertEquals("\"2\"", current.etag(), "expected the integration still at version 2, got " + current);
        assertEquals("second", current.json().path("description").asText(), current.toString());
        assertEquals(
                "tenant-1",
                admin.get("/v1/integrations/Stale/mappings/org-1")
                        .json()
                        .path("entity_id")
                        .asText());
    }

    @Test
    void shouldApplyAnIdempotencyKeySentTwiceInSequenceOnceAndAnswerTheSameSuccess() {
        Map<String, String> createKey = Map.of("Idempotency-Key", "create-seq-1");
        Http.Reply first = admin.send("POST", "/v1/integrations", integrationBody("Sequential"), createKey);
        Http.Reply second = admin.send("POST", "/v1/integrations", integrationBody("Sequential"), createKey);
        assertEquals(201, first.status(), first.toString());
        assertSameSuccess(first, second);

        Map<String, String> mappingKey = Map.of("Idempotency-Key", "mapping-seq-1");
        String body = mappingBody("tenant-seq", Map.of("timeout", 7));
        Http.Reply firstMapping = admin.send("PUT", "/v1/integrations/Sequential/mappings/org-seq", body, mappingKey);
        Http.Reply secondMapping = admin.send("PUT", "/v1/integrations/Sequential/mappings/org-seq", body, mappingKey);
        assertEquals(201, firstMapping.status(), firstMapping.toString());
        assertSameSuccess(firstMapping, secondMapping);

        assertEquals(
                1,
                historyEntriesOfType(admin, "Sequential", "IntegrationCreated", null)
                        .size(),
                "expected one IntegrationCreated for the repeated create");
        assertEquals(
                1,
                historyEntriesOfType(admin, "Sequential", "MappingUpserted", "org-seq")
                        .size(),
                "expected one MappingUpserted for the repeated upsert");
        assertEquals(2, admin.get("/v1/integrations/Sequential/history").json().size(), "expected two events in all");
        assertEquals(
                "\"1\"",
                admin.get("/v1/integrations/Sequential/mappings/org-seq").etag(),
                "expected the mapping still at version 1");
    }

    @Test
    void shouldApplyAnIdempotencyKeySentConcurrentlyOnceAndAnswerEveryRequestTheSameSuccess() {
        Map<String, String> createKey = Map.of("Idempotency-Key", "create-con-1");
        List<Http.Reply> creates = allAtOnce(IntStream.range(0, 10)
                .<Callable<Http.Reply>>mapToObj(
                        i -> () -> admin.send("POST", "/v1/integrations", integrationBody("Parallel"), createKey))
                .toList());
        assertEquals(
                201, creates.get(0).status(), "expected 201 for a create sent 10 times at once, got " + creates.get(0));
        for (Http.Reply reply : creates) assertSameSuccess(creates.get(0), reply);

        // The race between a repeat's answer and the view applying the first copy is narrow: run several rounds.
        for (int round = 0; round < 5; round++) {
            String key = "mapping-con-" + round;
            String org = "org-con-" + round;
            String body = mappingBody("tenant-con-" + round, Map.of("timeout", round));
            List<Http.Reply> upserts = allAtOnce(IntStream.range(0, 10)
                    .<Callable<Http.Reply>>mapToObj(i -> () -> admin.send(
                            "PUT", "/v1/integrations/Parallel/mappings/" + org, body, Map.of("Idempotency-Key", key)))
                    .toList());
            assertEquals(
                    201,
                    upserts.get(0).status(),
                    "expected 201 for an upsert sent 10 times at once, got " + upserts.get(0));
            for (Http.Reply reply : upserts) assertSameSuccess(upserts.get(0), reply);
            assertEquals(
                    1,
                    historyEntriesOfType(admin, "Parallel", "MappingUpserted", org)
                            .size(),
                    "expected one MappingUpserted for the concurrent repeats of " + key);
        }

        assertEquals(
                1,
                historyEntriesOfType(admin, "Parallel", "IntegrationCreated", null)
                        .size(),
                "expected one IntegrationCreated for the concurrent repeats");
        assertEquals(6, admin.get("/v1/integrations/Parallel/history").json().size(), "expected six events in all");
    }

    @Test
    void shouldDecideACommandRecordProducedTwiceOnTheCommandsTopicOnce() throws Exception {
        assertEquals(
                201, admin.post("/v1/integrations", integrationBody("Twice")).status());
        String commandId = "raw-twice-1";
        UpsertMapping command = UpsertMapping.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(Instant.now())
                .setIssuedBy("pipeline-test")
                .setExpectedVersion(null)
                .setIntegrationName("Twice")
                .setOrgId("org-raw")
                .setEntityId("tenant-raw")
                .setEntityName("Raw Tenant")
                .setConfig(Map.of("tier", "gold", "timeout", 3L))
                .setOauthTokenId(null)
                .build();
        SchemaRegistryClient registry =
                new SchemaRegistryClient(HubTestCluster.shared().registryUrl());
        Properties props = new Properties();
        props.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, SpecificRecord> producer =
                new KafkaProducer<>(props, new StringSerializer(), new AvroSerializer(registry))) {
            producer.send(new ProducerRecord<>(deployment.commandsTopic(), "Twice", command))
                    .get();
            producer.send(new ProducerRecord<>(deployment.commandsTopic(), "Twice", command))
                    .get();
        }

        List<CommandOutcome> outcomes = Await.until(
                Duration.ofSeconds(30),
                () -> outcomesOf(commandId, registry),
                found -> found.size() >= 2,
                "two outcomes of command " + commandId + " (one per copy)");

        assertTrue(
                outcomes.stream().allMatch(CommandOutcome::getAccepted),
                "expected both copies answered as accepted, got " + outcomes);
        assertEquals(
                List.of(1L, 1L),
                outcomes.stream().map(CommandOutcome::getVersion).toList(),
                "expected both copies to answer version 1");
        assertEquals(
                1,
                historyEntries(admin, "Twice", EventIds.event(commandId, 0)).size(),
                "expected one MappingUpserted for a command record produced twice");
        Http.Reply mapping = admin.get("/v1/integrations/Twice/mappings/org-raw");
        assertEquals(200, mapping.status(), mapping.toString());
        assertEquals("\"1\"", mapping.etag(), "expected the mapping at version 1, got " + mapping);
        assertEquals("gold", mapping.json().path("config").path("tier").asText(), mapping.toString());
    }

    private static List<CommandOutcome> outcomesOf(String commandId, SchemaRegistryClient registry) {
        Properties props = new Properties();
        props.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<CommandOutcome> found = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new AvroDeserializer(registry))) {
            List<TopicPartition> partitions = consumer.partitionsFor(PipelineFixture.outcomesTopic(deployment)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofMillis(200))) {
                    if (commandId.equals(record.key()) && record.value() instanceof CommandOutcome outcome)
                        found.add(outcome);
                }
            }
        }
        return found;
    }

    private static void assertSameSuccess(Http.Reply expected, Http.Reply actual) {
        assertEquals(
                expected.status(), actual.status(), "expected the repeat to answer the same status; got " + actual);
        assertEquals(expected.etag(), actual.etag(), "expected the repeat to answer the same ETag; got " + actual);
        JsonNode expectedBody = expected.json();
        assertEquals(expectedBody, actual.json(), "expected the repeat to answer the same body");
    }
}
