package com.integrationshub.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.events.TokenRefreshFailed;
import com.integrationshub.registry.AvroDeserializer;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.Poll;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.Fault;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * OAuth tokens kept fresh by the token-refresher, all through the public HTTP API, with query-service and the
 * refresher as processes and a real OAuth 2.0 provider stand-in.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokenRefreshSystemTest {

    private static final Map<String, String> REFRESHER = Map.of(
            "HUB_REFRESHER_BACKOFF_INITIAL",
            "300ms",
            "HUB_REFRESHER_BACKOFF_MAX",
            "2s",
            // Half jitter: each retry waits at least half its backoff, so the gaps can be asserted.
            "HUB_REFRESHER_BACKOFF_JITTER",
            "0.5",
            "HUB_REFRESHER_BACKOFF_MAX_ATTEMPTS",
            "5",
            "HUB_REFRESHER_BACKOFF_ROUND_PAUSE",
            "3s",
            "HUB_REFRESHER_FLOOR",
            "1s",
            "HUB_REFRESHER_HANDOVER_TIMEOUT",
            "5s");
    private static final Duration LIFETIME = Duration.ofSeconds(10);

    private static OAuthProviderStandIn provider;
    private static Hub hub;
    private static OAuthJourney journey;
    private static final Set<String> secretsSeen = new HashSet<>();

    @BeforeAll
    static void start() {
        provider = OAuthProviderStandIn.start();
        // Refreshes in a row are what these tests are about: no minimum interval between them
        // (RefreshJoiningSystemTest).
        hub = Hub.start(REFRESHER, Map.of("HUB_REFRESHER_MIN_INTERVAL", "0s"));
        journey = new OAuthJourney(hub, provider);
        journey.defineIntegration("Halo", "halo", ClientAuth.BASIC);
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
        if (provider != null) provider.close();
    }

    @Test
    @Order(1)
    void shouldRefreshATenSecondTokenBeforeItExpiresAndNoMoreOftenThanHalfItsLifetime() {
        provider.setExpiresIn(LIFETIME);
        journey.connect("Halo", "org-short");
        String family = journey.family("Halo", "org-short");
        assertTrue(
                provider.paths().stream().anyMatch(p -> p.startsWith("/tenant-org-short/token")),
                "{entity_id} reaches the provider's token URL: " + provider.paths());

        Instant until = Instant.now().plusSeconds(22);
        while (Instant.now().isBefore(until)) {
            JsonNode oauth = journey.oauth("Halo", "org-short");
            remember(oauth);
            assertEquals("active", oauth.get("status").asText(), "the token is never served expired: " + oauth);
            assertTrue(Instant.parse(oauth.get("expires_at").asText()).isAfter(Instant.now()), oauth.toString());
            Poll.pause(Duration.ofMillis(250));
        }
        List<Instant> calls = provider.callTimes(family);
        int refreshes = calls.size() - 1;
        // Never more often than half the lifetime: in 22 s at most 22 / 5 refreshes, give or take the first.
        assertTrue(
                refreshes >= 2 && refreshes <= 5, "refreshes in 22 s of a 10 s token: " + refreshes + " at " + calls);
        for (int i = 2; i < calls.size(); i++) {
            long gap = Duration.between(calls.get(i - 1), calls.get(i)).toMillis();
            assertTrue(gap >= LIFETIME.toMillis() / 2 - 500, "gap between refreshes " + gap + " ms at " + calls);
        }
        assertEquals(List.of(), provider.reusedRefreshTokens(), "no single-use refresh token is presented twice");
    }

    @Test
    @Order(2)
    void shouldUseRotatedRefreshTokensAndKeepTheOldOneWhenNoneIsReturned() {
        provider.setExpiresIn(Duration.ofHours(1));
        journey.connect("Halo", "org-rotate");
        String family = journey.family("Halo", "org-rotate");
        for (int i = 0; i < 3; i++) {
            var refreshed = journey.refresh("Halo", "org-rotate");
            assertEquals(200, refreshed.status(), refreshed.toString());
            JsonNode oauth = journey.oauth("Halo", "org-rotate");
            remember(oauth);
            assertEquals(
                    provider.currentRefreshToken(family),
                    oauth.get("refresh_token").asText(),
                    "the hub holds the provider's rotated refresh token");
        }
        provider.setOmitRefreshToken(true);
        try {
            String before =
                    journey.oauth("Halo", "org-rotate").get("refresh_token").asText();
            assertEquals(200, journey.refresh("Halo", "org-rotate").status());
            JsonNode after = journey.oauth("Halo", "org-rotate");
            remember(after);
            assertEquals(before, after.get("refresh_token").asText(), "no refresh token returned: the old one is kept");
            assertEquals(200, journey.refresh("Halo", "org-rotate").status(), "and the old one still works");
        } finally {
            provider.setOmitRefreshToken(false);
        }
        assertEquals(List.of(), provider.reusedRefreshTokens());
    }

    @Test
    @Order(3)
    void shouldRetryServerErrorsWithBackoffAndThenRefresh() {
        provider.setExpiresIn(Duration.ofHours(1));
        journey.connect("Halo", "org-flaky");
        String family = journey.family("Halo", "org-flaky");
        int before = provider.callTimes(family).size();
        provider.failNext(family, 2, Fault.serverError());

        var refreshed = journey.refresh("Halo", "org-flaky");
        assertEquals(200, refreshed.status(), refreshed.toString());
        List<Instant> calls = provider.callTimes(family);
        assertEquals(before + 3, calls.size(), "two failures, then the success: " + calls);
        long firstGap =
                Duration.between(calls.get(before), calls.get(before + 1)).toMillis();
        long secondGap =
                Duration.between(calls.get(before + 1), calls.get(before + 2)).toMillis();
        // 300 ms then 600 ms backoff with half jitter: at least 150 ms and 300 ms.
        assertTrue(
                firstGap >= 140 && secondGap >= 280,
                "backoff between attempts: " + firstGap + " ms, " + secondGap + " ms");
        assertEquals("active", journey.oauth("Halo", "org-flaky").get("status").asText());
    }

    @Test
    @Order(4)
    void shouldMarkARefusedTokenNeedsReauthStopCallingAndRecoverOnReconnect() throws Exception {
        provider.setExpiresIn(Duration.ofHours(1));
        journey.connect("Halo", "org-refused");
        String family = journey.family("Halo", "org-refused");
        provider.failNext(family, 1, new Fault(400, "invalid_grant", Duration.ZERO));

        var refused = journey.refresh("Halo", "org-refused");
        assertEquals(409, refused.status(), refused.toString());
        assertTrue(refused.json().get("type").asText().endsWith("/needs-reauth"), refused.body());
        assertEquals(
                "needs_reauth",
                journey.oauth("Halo", "org-refused").get("status").asText());
        assertTrue(tokenRefreshFailedNeedingReauth("halo/org-refused"), "a TokenRefreshFailed event with needs_reauth");
        assertEquals(
                "invalid_grant",
                journey.oauth("Halo", "org-refused").get("reauth_reason").asText(),
                "the org view says why");

        int calls = provider.callTimes(family).size();
        var again = journey.refresh("Halo", "org-refused");
        assertEquals(409, again.status(), "no refresh of a refused token until reconnected: " + again);
        Poll.pause(Duration.ofSeconds(2));
        assertEquals(calls, provider.callTimes(family).size(), "the provider sees no further calls");

        journey.connect("Halo", "org-refused");
        JsonNode oauth = journey.oauth("Halo", "org-refused");
        remember(oauth);
        assertEquals("active", oauth.get("status").asText(), "reconnected: " + oauth);
    }

    @Test
    @Order(5)
    void shouldFetchAndRenewClientCredentialsTokensWithNoPersonInvolved() {
        provider.setExpiresIn(Duration.ofSeconds(6));
        provider.registerClient("svc", "svc-secret", ClientAuth.POST);
        Http admin = journey.admin;
        assertEquals(
                201,
                admin.post("/v1/oauth/connections", """
                {"connection_name": "svc-conn", "grant_type": "client_credentials", "client_id": "svc",
                 "client_secret": "svc-secret", "client_auth_method": "client_secret_post",
                 "token_url": "%s"}""".formatted(provider.tokenUrl()))
                        .status());
        assertEquals(
                201,
                admin.post(
                                "/v1/integrations",
                                "{\"name\": \"Svc\", \"auth_scheme\": \"OAUTH2\", \"oauth_connection\": \"svc-conn\"}")
                        .status());
        var connect = admin.post("/v1/oauth/connections/svc-conn/connect", "");
        assertEquals(201, connect.status(), connect.toString());
        int first = provider.tokenCalls(OAuthProviderStandIn.CLIENT_CREDENTIALS);

        Poll.until(
                Duration.ofSeconds(30),
                () -> provider.tokenCalls(OAuthProviderStandIn.CLIENT_CREDENTIALS),
                n -> n >= first + 2,
                "the refresher to renew the client-credentials token twice");
        var view = admin.get("/v1/integrations/Svc/global");
        assertEquals("active", view.json().get("oauth").get("status").asText(), view.body());
        assertTrue(provider.accessTokenValid(
                view.json().get("oauth").get("access_token").asText()));
        remember(view.json().get("oauth"));
    }

    @Test
    @Order(6)
    void shouldRebuildTheScheduleFromTheLogAfterARestartAndRefreshEveryToken() {
        provider.setExpiresIn(Duration.ofSeconds(12));
        List<String> orgs = List.of("org-r1", "org-r2", "org-r3", "org-r4");
        orgs.forEach(org -> journey.connect("Halo", org));
        List<String> families =
                orgs.stream().map(org -> journey.family("Halo", org)).toList();
        hub.stopRefreshers();
        Poll.pause(Duration.ofSeconds(7)); // past the refresh point (half the lifetime) while no refresher runs
        hub.startRefresher();
        for (int i = 0; i < orgs.size(); i++) {
            String family = families.get(i);
            Poll.until(
                    Duration.ofSeconds(30),
                    () -> provider.callTimes(family).size(),
                    n -> n >= 2,
                    "token of " + orgs.get(i) + " refreshed after the restart");
            JsonNode oauth = journey.oauth("Halo", orgs.get(i));
            remember(oauth);
            assertEquals("active", oauth.get("status").asText(), oauth.toString());
        }
        assertEquals(List.of(), provider.reusedRefreshTokens());
    }

    @Test
    @Order(7)
    void shouldKeepEveryTokenClientSecretAndPkceVerifierOutOfLogsAndTopics() throws Exception {
        Set<String> secrets = new HashSet<>(secretsSeen);
        provider.issuedAccessTokens().forEach(t -> secrets.add(t.value()));
        secrets.addAll(provider.receivedVerifiers());
        assertFalse(provider.receivedVerifiers().isEmpty(), "the flows presented PKCE verifiers to look for");
        secrets.add("halo-secret");
        secrets.add("svc-secret");
        secrets.removeIf(s -> s == null || s.length() < 8);
        assertFalse(secrets.isEmpty());

        try (var logs = Files.list(hub.dir())) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                String text = Files.readString(log);
                for (String secret : secrets) assertFalse(text.contains(secret), "a secret appears in " + log);
            }
        }
        List<byte[]> bytes = rawTopicBytes();
        assertTrue(bytes.size() > 10, "read the topics' records: " + bytes.size());
        for (byte[] value : bytes) {
            String text = new String(value, StandardCharsets.ISO_8859_1);
            for (String secret : secrets) assertFalse(text.contains(secret), "a secret appears in a topic record");
        }
    }

    private static void remember(JsonNode oauth) {
        for (String field : List.of("access_token", "refresh_token")) {
            if (oauth.hasNonNull(field)) secretsSeen.add(oauth.get(field).asText());
        }
    }

    private static boolean tokenRefreshFailedNeedingReauth(String tokenId) {
        Properties props = consumerProps();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(
                props,
                new StringDeserializer(),
                new AvroDeserializer(new com.integrationshub.registry.SchemaRegistryClient(
                        HubTestCluster.shared().registryUrl())))) {
            for (SpecificRecord event : readAll(consumer, hub.eventsTopic())) {
                if (event instanceof TokenRefreshFailed f && f.getTokenId().equals(tokenId) && f.getNeedsReauth())
                    return true;
            }
        }
        return false;
    }

    private static List<byte[]> rawTopicBytes() throws Exception {
        List<String> topics;
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", HubTestCluster.shared().bootstrapServers()))) {
            topics = admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(hub.topicPrefix()))
                    .toList();
        }
        List<byte[]> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (String topic : topics) values.addAll(readAll(consumer, topic));
        }
        return values;
    }

    private static <K, V> List<V> readAll(KafkaConsumer<K, V> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        List<V> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                if (r.value() != null) values.add(r.value());
            });
        }
        return values;
    }

    private static Properties consumerProps() {
        Properties props = new Properties();
        props.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }
}
