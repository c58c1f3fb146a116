package com.integrationshub.query.pipeline;

import static com.integrationshub.query.pipeline.PipelineFixture.outcomesTopic;
import static com.integrationshub.query.pipeline.PipelineFixture.streams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.StartAuthorization;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.registry.AvroSerializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.TestTokens;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stores that only matter for a while stay bounded over a long run: processed command ids are forgotten after
 * hub.commands.idempotency-retention, and expired authorizations leave the store. Many StartAuthorization commands
 * (each one processed id and one authorization) are produced straight
 * onto the commands topic with the retention shortened, through the real broker.
 */
class BoundedStoresTest {

    /** 100,000 by default; -Dhub.test.bounded-commands=N for a shorter run. */
    private static final int COMMANDS = Integer.getInteger("hub.test.bounded-commands", 100_000);

    private static final Duration RETENTION = Duration.ofSeconds(2);
    private static final List<String> CONNECTIONS = List.of("bounded-a", "bounded-b", "bounded-c");
    private static final List<String> STORES =
            List.of(StoreNames.PROCESSED_COMMANDS, StoreNames.view(StoreNames.AUTHORIZATIONS));

    private static HubInstance.Deployment deployment;
    private static HubInstance hub;
    private static Http admin;

    @BeforeAll
    static void start() {
        deployment = HubInstance.Deployment.fresh(Map.of(
                "hub.commands.idempotency-retention",
                RETENTION.toMillis() + "ms",
                "hub.streams.sweep-interval",
                "500ms"));
        hub = HubInstance.start(deployment);
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
        for (String connection : CONNECTIONS) {
            Http.Reply created = admin.post("/v1/oauth/connections", """
                    {"connection_name": "%s", "client_id": "hub-client", "client_secret": "hub-secret",
                     "authorization_url": "https://provider.example/authorize",
                     "token_url": "https://provider.example/token"}""".formatted(connection));
            assertEquals(201, created.status(), created.toString());
        }
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
    }

    @Test
    void shouldKeepProcessedIdsAndAuthorizationsBoundedOverALongRun() throws Exception {
        long started = System.nanoTime();
        Set<String> lastIds = produce();
        long produced = System.nanoTime();

        int[] largest = new int[STORES.size()];
        awaitOutcomes(lastIds, () -> {
            for (int i = 0; i < STORES.size(); i++) largest[i] = Math.max(largest[i], count(STORES.get(i)));
        });
        long decided = System.nanoTime();
        System.out.printf(
                "bounded stores: %d commands produced in %d ms, decided and in the views after %d ms;"
                        + " largest entry counts seen %s = %s%n",
                COMMANDS,
                (produced - started) / 1_000_000,
                (decided - started) / 1_000_000,
                STORES,
                java.util.Arrays.toString(largest));

        for (int i = 0; i < STORES.size(); i++) {
            String store = STORES.get(i);
            assertTrue(
                    largest[i] < COMMANDS / 2,
                    "expected " + store + " to stay well below the " + COMMANDS + " commands it saw (retention "
                            + RETENTION + "), but it held " + largest[i]);
            Await.until(
                    Duration.ofSeconds(30),
                    () -> count(store),
                    n -> n == 0,
                    store + " empty once every entry has passed its retention or expiry");
        }
    }

    @Test
    void shouldForgetAnIdempotencyKeyAfterItsRetention() {
        assertEquals(
                201,
                admin.post("/v1/integrations", PipelineFixture.integrationBody("Forgetful"))
                        .status());
        Map<String, String> key = Map.of("Idempotency-Key", "forget-me");
        Http.Reply first = admin.send(
                "PUT",
                "/v1/integrations/Forgetful/mappings/org-1",
                PipelineFixture.mappingBody("tenant-1", Map.of("tier", "gold")),
                key);
        assertEquals(201, first.status(), first.toString());
        Http.Reply reused = admin.send(
                "PUT",
                "/v1/integrations/Forgetful/mappings/org-1",
                PipelineFixture.mappingBody("tenant-1", Map.of("tier", "silver")),
                key);
        assertEquals(422, reused.status(), "within the retention the key is remembered: " + reused);

        Await.until(
                Duration.ofSeconds(30),
                () -> admin.send(
                        "PUT",
                        "/v1/integrations/Forgetful/mappings/org-1",
                        PipelineFixture.mappingBody("tenant-1", Map.of("tier", "silver")),
                        key),
                reply -> reply.status() == 200,
                "the key forgotten after " + RETENTION + ": the new request applied");
        assertEquals(
                "silver",
                admin.get("/v1/integrations/Forgetful/mappings/org-1")
                        .json()
                        .path("config")
                        .path("tier")
                        .asText());
    }

    /** Produces the commands spread over the connections; returns the id of the last command of each. */
    private static Set<String> produce() throws Exception {
        SchemaRegistryClient registry =
                new SchemaRegistryClient(HubTestCluster.shared().registryUrl());
        Properties props = new Properties();
        props.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        SealedSecret verifier = SealedSecret.newBuilder()
                .setKeyId(1)
                .setCiphertext(ByteBuffer.wrap(new byte[32]))
                .build();
        Set<String> last = new HashSet<>();
        try (KafkaProducer<String, SpecificRecord> producer =
                new KafkaProducer<>(props, new StringSerializer(), new AvroSerializer(registry))) {
            for (int i = 0; i < COMMANDS; i++) {
                String connection = CONNECTIONS.get(i % CONNECTIONS.size());
                String id = "bulk-" + i;
                Instant now = Instant.now();
                StartAuthorization command = StartAuthorization.newBuilder()
                        .setCommandId(id)
                        .setIssuedAt(now)
                        .setIssuedBy("bounded-test")
                        .setConnectionId(connection + "/org-" + i)
                        .setStateHash("state-" + i)
                        .setConnectionName(connection)
                        .setIntegrationName(null)
                        .setOrgId("org-" + i)
                        .setPkceVerifier(verifier)
                        .setRedirectUri("https://hub.example/v1/oauth/callback")
                        .setExpiresAt(now.plusSeconds(1))
                        .setEntityId(null)
                        .build();
                producer.send(new ProducerRecord<>(deployment.commandsTopic(), connection, command));
                if (i >= COMMANDS - CONNECTIONS.size()) last.add(id);
            }
            producer.flush();
        }
        return last;
    }

    /** Reads the outcomes topic until each of the ids has its outcome, sampling the stores once a second. */
    private static void awaitOutcomes(Set<String> ids, Runnable sample) {
        Properties props = new Properties();
        props.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Set<String> waiting = new HashSet<>(ids);
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        long nextSample = 0;
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            String topic = outcomesTopic(deployment);
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!waiting.isEmpty()) {
                if (System.nanoTime() > deadline) throw new AssertionError("no outcome for " + waiting + " in 10 min");
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    waiting.remove(record.key());
                }
                if (System.nanoTime() >= nextSample) {
                    sample.run();
                    nextSample = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                }
            }
        }
    }

    /** The entries of one of the instance's stores, counted by a scan (every partition is local: one instance). */
    private static int count(String store) {
        ReadOnlyKeyValueStore<String, Object> kv = streams(hub)
                .store(StoreQueryParameters.fromNameAndType(
                        store, QueryableStoreTypes.<String, Object>keyValueStore()));
        int n = 0;
        try (KeyValueIterator<String, Object> it = kv.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }
}
