package com.integrationshub.query.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.TestTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * /health is UP only once the views hold every event there was at start (issue 14, replay): an instance that has to
 * fold the whole events topic (a new application id: nothing to restore, RUNNING within seconds) stays DOWN until
 * then, so its first UP already answers the last write; an instance restarted on its intact state dir with no new
 * events (only transaction markers after its committed offsets) is UP, not stuck DOWN; and a new application id over
 * the same commands topic decides none of its old commands again.
 */
// The same-topics case decides a new command on the deployment's commands topic; it runs last, so no restart of the
// deployment's own application id after it decides that command again (one application id per commands topic).
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ViewsCompleteHealthTest {

    private static final int MAPPINGS = 600;

    private static HubInstance.Deployment deployment;
    private static Path stateDir;

    @BeforeAll
    static void writeTheLog() throws Exception {
        deployment = HubInstance.Deployment.fresh();
        stateDir = HubInstance.newStateDir();
        try (HubInstance writer = HubInstance.start(deployment, stateDir, HubInstance.freePort())) {
            Http admin = new Http(writer.url(), TestTokens.admin());
            Await.ready(admin);
            assertEquals(201, admin.post("/v1/integrations", """
                    {"name": "Replayed", "auth_scheme": "NO_AUTH", "config_schema": []}""").status());
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<Integer>> puts = new ArrayList<>();
                for (int i = 0; i < MAPPINGS - 1; i++) {
                    String org = "org-" + i;
                    puts.add(pool.submit(() -> admin.put(
                                    "/v1/integrations/Replayed/mappings/" + org, "{\"entity_id\": \"e-" + org + "\"}")
                            .status()));
                }
                for (Future<Integer> put : puts) assertEquals(201, put.get());
            } finally {
                pool.shutdownNow();
            }
            // The last write, which the complete views must show.
            assertEquals(
                    201,
                    admin.put("/v1/integrations/Replayed/mappings/org-last", "{\"entity_id\": \"the-last\"}")
                            .status());
        }
    }

    @Test
    @Order(1)
    void shouldStayDownWhileFoldingTheLogSoTheFirstUpAnswersTheLastWrite() {
        // Same events topic; a new application id with its own commands and outcomes topics: nothing to restore
        // and nothing to decide again, every view folded from the events.
        String id = HubTestCluster.shared().uniqueName("hub-replay");
        Map<String, Object> props = new HashMap<>(deployment.properties());
        props.put("hub.streams.application-id", id);
        props.put("hub.kafka.topics.commands", id + ".commands");
        props.put("hub.kafka.topics.outcomes", id + ".outcomes");
        HubInstance.Deployment replay =
                new HubInstance.Deployment(Map.copyOf(props), deployment.eventsTopic(), id + ".commands");
        try (HubInstance fresh = HubInstance.start(replay, HubInstance.newStateDir(), HubInstance.freePort())) {
            Http admin = new Http(fresh.url(), TestTokens.admin());
            Http.Reply up = Await.until(
                    Duration.ofSeconds(120), () -> admin.get("/health"), r -> r.status() == 200, "/health UP");
            // Read at once: the first UP must already serve every event there was.
            Http.Reply last = admin.get("/v1/integrations/Replayed/mappings/org-last");
            assertEquals(200, last.status(), "the last write on the first UP (" + up.body() + "): " + last);
            assertEquals("the-last", last.json().path("entity_id").asText());
            Http.Reply list = admin.get("/v1/integrations/Replayed/mappings");
            assertEquals(MAPPINGS, list.json().size(), "every mapping on the first UP");
        }
    }

    @Test
    @Order(3)
    void shouldNotDecideTheOldCommandsAgainUnderANewApplicationIdOnTheSameTopics() {
        // A new application id over the deployment's own topics, commands included: it folds the events and starts
        // deciding at the commands topic's end, so the log it shares gains nothing but the new writes.
        String id = HubTestCluster.shared().uniqueName("hub-same-topics");
        Map<String, Object> props = new HashMap<>(deployment.properties());
        props.put("hub.streams.application-id", id);
        HubInstance.Deployment again =
                new HubInstance.Deployment(Map.copyOf(props), deployment.eventsTopic(), deployment.commandsTopic());
        Map<TopicPartition, Long> before = eventsEnds();
        try (HubInstance fresh = HubInstance.start(again, HubInstance.newStateDir(), HubInstance.freePort())) {
            Http admin = new Http(fresh.url(), TestTokens.admin());
            Await.until(Duration.ofSeconds(120), () -> admin.get("/health"), r -> r.status() == 200, "/health UP");
            assertEquals(
                    MAPPINGS,
                    admin.get("/v1/integrations/Replayed/mappings").json().size(),
                    "every mapping");
            assertEquals(before, eventsEnds(), "no command of the history decided again: no event appended");

            // Another integration, so the other tests' count of Replayed's mappings stays.
            Http.Reply created = admin.post("/v1/integrations", """
                    {"name": "AfterReplay", "auth_scheme": "NO_AUTH", "config_schema": []}""");
            assertEquals(201, created.status(), "a new write is decided: " + created);
            assertEquals(1, eventsSince(before), "one event for the one new write");
        }
    }

    /** How many committed events the topic holds past `from` (transaction markers take offsets too). */
    private static int eventsSince(Map<TopicPartition, Long> from) {
        Properties props = new Properties();
        props.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Map<TopicPartition, Long> ends = consumer.endOffsets(from.keySet());
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            int read = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (from.keySet().stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) throw new AssertionError("the events topic was not read to its end");
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
            return read;
        }
    }

    /** The events topic's end offsets now. */
    private static Map<TopicPartition, Long> eventsEnds() {
        Properties props = new Properties();
        props.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(deployment.eventsTopic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            return consumer.endOffsets(partitions);
        }
    }

    @Test
    @Order(2)
    void shouldBeUpAfterARestartOnItsIntactStateWithNoNewEvents() {
        try (HubInstance restarted = HubInstance.start(deployment, stateDir, HubInstance.freePort())) {
            Http admin = new Http(restarted.url(), TestTokens.admin());
            Await.until(Duration.ofSeconds(90), () -> admin.get("/health"), r -> r.status() == 200, "/health UP");
            assertEquals(
                    200,
                    admin.get("/v1/integrations/Replayed/mappings/org-last").status());
        }
    }
}
