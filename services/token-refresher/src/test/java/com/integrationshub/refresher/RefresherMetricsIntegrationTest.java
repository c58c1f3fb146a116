package com.integrationshub.refresher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.commands.RecordTokenRefreshFailure;
import com.integrationshub.refresher.support.Await;
import com.integrationshub.refresher.support.RefresherInstance;
import com.integrationshub.refresher.support.Scenario;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.PrometheusText;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.oauth.Fault;
import com.integrationshub.testkit.oauth.MintedGrant;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * GET /prometheus of a refresher after a known sequence through the real broker: one token refreshed, one refused
 * (needs_reauth), one refreshed after a 500 (retried), one unreadable event; and the endpoint takes only an admin
 * token.
 */
class RefresherMetricsIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Scenario s = Scenario.start();

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void shouldCountRefreshesByOutcomeAndProviderTokensByStatusAndDeadLetters() throws Exception {
        s.hub.createConnection(s.connection("halo"));
        MintedGrant ok = s.provider.mint(Scenario.CLIENT, "read");
        MintedGrant refused = s.provider.mint(Scenario.CLIENT, "read");
        MintedGrant flaky = s.provider.mint(Scenario.CLIENT, "read");
        String okId = s.hub.issue("halo", "org-ok", null, ok);
        String refusedId = s.hub.issue("halo", "org-refused", null, refused);
        String flakyId = s.hub.issue("halo", "org-flaky", null, flaky);
        s.provider.failNext(refused.family(), 1, Fault.invalidGrant());
        s.provider.failNext(flaky.family(), 1, Fault.serverError());
        produceGarbage("halo");
        RefresherInstance refresher = s.startRefresher();
        Http admin = new Http(refresher.url(), TestTokens.admin());
        Await.until(WAIT, () -> refresher.stats().scheduled() == 3, "the three tokens scheduled", refresher::stats);
        PrometheusText before = scrape(admin);
        assertEquals(0, before.value("hub_refresher_refreshes_total", Map.of()), "no refresh before the requests");
        assertEquals(3, before.value("hub_refresher_tokens", Map.of("status", "active")), "three active tokens");

        s.hub.requestRefresh("halo", "org-ok");
        s.hub.requestRefresh("halo", "org-refused");
        s.hub.requestRefresh("halo", "org-flaky");
        Await.until(
                WAIT,
                () -> s.hub.commands(RecordTokenRefresh.class, okId).size() == 1
                        && s.hub.commands(RecordTokenRefresh.class, flakyId).size() == 1
                        && s.hub.commands(RecordTokenRefreshFailure.class, refusedId)
                                        .size()
                                == 1,
                "two refreshes and a refusal recorded",
                s.hub::summary);
        Await.until(
                WAIT,
                () -> scrape(admin).value("hub_refresher_tokens", Map.of("status", "needs_reauth")) == 1,
                "the refused token folded as needs_reauth",
                () -> scrape(admin).matching("hub_refresher_tokens", Map.of()));

        PrometheusText after = scrape(admin);
        String provider = RefresherMetrics.host(s.provider.tokenUrl());
        assertEquals(
                2,
                after.value("hub_refresher_refreshes_total", Map.of("outcome", "refreshed", "provider", provider)),
                "two tokens refreshed");
        assertEquals(
                1,
                after.value("hub_refresher_refreshes_total", Map.of("outcome", "retried", "provider", provider)),
                "one 500 retried");
        assertEquals(
                1,
                after.value("hub_refresher_refreshes_total", Map.of("outcome", "needs_reauth", "provider", provider)),
                "one refusal");
        assertEquals(4, after.value("hub_refresher_refreshes_total", Map.of()), "nothing else answered");
        assertEquals(2, after.value("hub_refresher_tokens", Map.of("status", "active")), "two active tokens");
        assertEquals(0, after.value("hub_refresher_tokens", Map.of("status", "expired")), "none expired");
        double soonest = after.value("hub_refresher_soonest_expiry_seconds", Map.of());
        assertTrue(soonest > 0 && soonest <= 3600, "the soonest expiry within the hour, was " + soonest);
        assertEquals(2, after.value("hub_refresher_schedule_size", Map.of()), "the two active tokens scheduled");
        assertEquals(
                1,
                after.value("hub_dead_letters_total", Map.of("topic", s.deployment.eventsTopic())),
                "one dead letter from the events topic");
        assertFalse(
                after.matching("kafka_consumer_fetch_manager_records_lag_max", Map.of())
                        .isEmpty(),
                "the events consumer's lag is there");
        assertTrue(after.hasPrefix("kafka_producer_"), "the producers' metrics are there");
        assertFalse(
                after.matching("http_server_requests_seconds_bucket", Map.of("uri", "/prometheus"))
                        .isEmpty(),
                "HTTP timers by route with histogram buckets");
    }

    @Test
    void shouldRefusePrometheusWithoutAnAdminToken() {
        RefresherInstance refresher = s.startRefresher();
        Http anonymous = new Http(refresher.url(), null);
        assertEquals(401, anonymous.get("/prometheus").status(), "no token");
        assertEquals(
                403, anonymous.as(TestTokens.org("org-1")).get("/prometheus").status(), "an org's token");
        assertEquals(200, anonymous.as(TestTokens.admin()).get("/prometheus").status(), "an admin token");
    }

    private static PrometheusText scrape(Http admin) {
        Http.Reply reply = admin.get("/prometheus");
        assertEquals(200, reply.status(), "GET /prometheus with the admin token");
        return PrometheusText.parse(reply.body());
    }

    /** One record on the events topic that is not the wire format, keyed by the connection. */
    private void produceGarbage(String key) throws Exception {
        Properties props = new Properties();
        props.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            s.deployment.eventsTopic(),
                            key.getBytes(StandardCharsets.UTF_8),
                            "garbage".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
