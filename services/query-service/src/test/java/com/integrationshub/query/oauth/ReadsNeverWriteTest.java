package com.integrationshub.query.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.events.AuthorizationStarted;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.registry.AvroDeserializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.TestTokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API.md Credentials: reads never write. GET .../credentials without an active token appends nothing. */
class ReadsNeverWriteTest {

    private static HubInstance.Deployment deployment;
    private static HubInstance hub;
    private static Http admin;

    @BeforeAll
    static void start() {
        deployment = HubInstance.Deployment.fresh();
        hub = HubInstance.start(deployment);
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
        assertEquals(201, admin.post("/v1/oauth/connections", """
                {"connection_name": "reads-oauth", "client_id": "hub-client", "client_secret": "hub-secret",
                 "authorization_url": "https://provider.example/authorize",
                 "token_url": "https://provider.example/token"}""").status());
        assertEquals(201, admin.post("/v1/integrations", """
                {"name": "Reads", "auth_scheme": "OAUTH2", "oauth_connection": "reads-oauth"}""").status());
        assertEquals(
                201,
                admin.put("/v1/integrations/Reads/mappings/org-r", "{\"entity_id\": \"tenant-r\"}")
                        .status());
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
    }

    @Test
    void shouldAnswerManyCredentialReadsWithoutATokenWith409AndAppendNoAuthorization() {
        Http org = admin.as(TestTokens.org("org-r"));
        for (int i = 0; i < 25; i++) {
            Http.Reply read = org.get("/v1/orgs/org-r/integrations/Reads/credentials");
            assertEquals(409, read.status(), read.toString());
            assertTrue(read.json().path("type").asText().endsWith("/not-authorized"), read.body());
            assertEquals(
                    hub.url() + "/v1/orgs/org-r/integrations/Reads/connect",
                    read.json().path("authorize_url").asText(),
                    "authorize_url names the hub's connect: " + read.body());
        }
        assertEquals(0, authorizationsStarted(), "25 reads must append no AuthorizationStarted");

        Http.Reply connect = org.post("/v1/orgs/org-r/integrations/Reads/connect", "{\"auth_scheme\": \"OAUTH2\"}");
        assertEquals(201, connect.status(), "POST authorize_url starts the flow: " + connect);
        assertTrue(
                connect.json().path("redirect_url").asText().startsWith("https://provider.example/authorize?"),
                connect.body());
        for (int i = 0; i < 10; i++) {
            assertEquals(
                    409,
                    org.get("/v1/orgs/org-r/integrations/Reads/credentials").status());
        }
        assertEquals(1, authorizationsStarted(), "only the connect appended an AuthorizationStarted");
    }

    /** The AuthorizationStarted events on the events topic, read to its end. */
    private static int authorizationsStarted() {
        Properties props = new Properties();
        props.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        SchemaRegistryClient registry =
                new SchemaRegistryClient(HubTestCluster.shared().registryUrl());
        try (KafkaConsumer<String, SpecificRecord> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new AvroDeserializer(registry))) {
            List<TopicPartition> partitions = consumer.partitionsFor(deployment.eventsTopic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            int count = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) throw new AssertionError("events topic not read to its end in 30 s");
                for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() instanceof AuthorizationStarted) count++;
                }
            }
            return count;
        }
    }
}
