package com.integrationshub.query.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.Poll;
import com.integrationshub.testkit.PrometheusText;
import com.integrationshub.testkit.TestTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /prometheus after a known sequence of operations through the real broker: the counters moved by exactly that
 * much, and the endpoint takes only an admin token.
 */
class MetricsEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> CREATE = Map.of("type", "CreateIntegration");

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
    void shouldCountAcceptedAndRejectedCommandsHttpRequestsAndDeadLettersExactly() throws Exception {
        PrometheusText before = scrape();
        assertEquals(0, before.value("hub_commands_accepted_total", CREATE), "no create counted before");

        for (String name : new String[] {"Alpha", "Beta", "Gamma"}) {
            assertEquals(201, admin.post("/v1/integrations", body(name)).status(), "create " + name);
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(409, admin.post("/v1/integrations", body("Alpha")).status(), "create Alpha again");
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(200, admin.get("/v1/integrations/Beta").status(), "read Beta");
        }
        produceGarbage(deployment.commandsTopic());

        Map<String, String> readRoute = Map.of("method", "GET", "uri", "/v1/integrations/{name}", "status", "200");
        PrometheusText after = Poll.until(
                WAIT,
                MetricsEndpointTest::scrape,
                m -> m.value("hub_dead_letters_total", Map.of()) >= 1
                        && m.value("hub_write_visible_seconds_count", CREATE) >= 3
                        && m.value("http_server_requests_seconds_count", readRoute) >= 2,
                "the dead letter, the three visible writes and the two reads counted");

        assertEquals(3, after.value("hub_commands_accepted_total", CREATE), "three creates accepted");
        assertEquals(
                2,
                after.value("hub_commands_rejected_total", Map.of("type", "CreateIntegration", "reason", "conflict")),
                "two creates rejected as conflicts");
        assertEquals(2, after.value("hub_commands_rejected_total", Map.of()), "no other rejection");
        assertEquals(
                3,
                after.value(
                        "hub_command_decision_seconds_count",
                        Map.of("type", "CreateIntegration", "outcome", "accepted")),
                "a decision latency per accepted create");
        assertEquals(
                2,
                after.value(
                        "hub_command_decision_seconds_count",
                        Map.of("type", "CreateIntegration", "outcome", "rejected")),
                "a decision latency per rejected create");
        assertEquals(
                3, after.value("hub_write_visible_seconds_count", CREATE), "write->visible of each accepted create");
        assertEquals(
                1,
                after.value("hub_dead_letters_total", Map.of("topic", deployment.commandsTopic())),
                "one dead letter from the commands topic");
        assertEquals(1, after.value("hub_dead_letters_total", Map.of()), "no other dead letter");

        assertEquals(2, after.value("http_server_requests_seconds_count", readRoute), "two reads by route template");
        assertEquals(
                5,
                after.value("http_server_requests_seconds_count", Map.of("method", "POST", "uri", "/v1/integrations")),
                "five creates by route template");
        assertEquals(
                2,
                after.value(
                        "http_server_requests_seconds_count",
                        Map.of("method", "POST", "uri", "/v1/integrations", "status", "409")),
                "two of them 409");
        assertFalse(
                after.matching("http_server_requests_seconds_bucket", readRoute).isEmpty(),
                "HTTP timers have histogram buckets");
        assertFalse(
                after.matching("hub_command_decision_seconds_bucket", CREATE).isEmpty(),
                "decision latency has histogram buckets");
        assertTrue(after.hasPrefix("kafka_stream_"), "Kafka Streams metrics are there");
        assertTrue(after.hasPrefix("kafka_producer_"), "the command producer's metrics are there");
        assertFalse(
                after.matching("kafka_consumer_fetch_manager_records_lag_max", Map.of())
                        .isEmpty(),
                "consumer lag is there");
    }

    @Test
    void shouldRefusePrometheusWithoutAnAdminToken() {
        assertEquals(401, admin.as(null).get("/prometheus").status(), "no token");
        assertEquals(401, admin.as(TestTokens.badSignature()).get("/prometheus").status(), "a bad token");
        assertEquals(403, admin.as(TestTokens.org("org-a")).get("/prometheus").status(), "an org's token");
        assertEquals(200, admin.get("/prometheus").status(), "an admin token");
    }

    private static PrometheusText scrape() {
        Http.Reply reply = admin.get("/prometheus");
        assertEquals(200, reply.status(), "GET /prometheus with the admin token");
        return PrometheusText.parse(reply.body());
    }

    private static String body(String name) {
        return """
                {"name": "%s", "description": "metrics test", "auth_scheme": "API_KEY",
                 "config_schema": [{"key": "api_key", "type": "secret", "required": false}]}""".formatted(name);
    }

    /** One record that is not the wire format, keyed like a command of integration Alpha. */
    private static void produceGarbage(String topic) throws Exception {
        Properties props = new Properties();
        props.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            topic,
                            "Alpha".getBytes(StandardCharsets.UTF_8),
                            "not avro at all".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
