package com.integrationshub.query.eventstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.commands.RecordTokenRefreshFailure;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.query.commands.CommandGateway;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.replies.CommandOutcome;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.IssuedAccessToken;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * GET /v1/events/stream through the real broker: a write shows up as a message with its secrets masked, the types
 * filter, resuming with Last-Event-ID (nothing lost, nothing repeated), the admin rule, the bound on open streams and
 * a slot freed when its client goes away, and an unreadable record skipped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventStreamIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RUN =
            UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private static final String API_KEY = "sk_live_stream_" + RUN;
    private static final String CLIENT_SECRET = "client-secret-stream-" + RUN;
    private static final String STREAM = "/v1/events/stream";

    private static HubInstance.Deployment deployment;
    private static HubInstance hub;
    private static OAuthProviderStandIn provider;
    private static Http admin;
    private final List<SseStream> opened = new ArrayList<>();

    @BeforeAll
    static void start() {
        deployment = HubInstance.Deployment.fresh(Map.of(
                "hub.events-stream.max-streams", 2,
                "hub.events-stream.heartbeat", "1s",
                "hub.events-stream.poll-timeout", "100ms"));
        hub = HubInstance.start(deployment);
        provider = OAuthProviderStandIn.start();
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
        if (provider != null) provider.close();
    }

    @AfterEach
    void closeStreams() {
        opened.forEach(SseStream::close);
        Await.until(WAIT, () -> streams().openStreams(), n -> n == 0, "every stream of the test closed");
    }

    @Test
    @Order(1)
    void shouldStreamAnApiKeyWriteWithTheKeyMasked() throws Exception {
        SseStream stream = open(STREAM, TestTokens.admin(), Map.of());
        assertEquals(200, stream.status(), stream.body());
        assertTrue(stream.header("Content-Type").orElse("").startsWith("text/event-stream"), "content type");
        assertNotNull(stream.next(WAIT).id(), "the stream opens with a heartbeat carrying its position");

        assertEquals(201, admin.post("/v1/integrations", """
                {"name": "Keys", "auth_scheme": "API_KEY",
                 "credential_headers": {"Authorization": "Bearer {api_key}"}}""").status());
        var connect = admin.as(TestTokens.org("org-1"))
                .post(
                        "/v1/orgs/org-1/integrations/Keys/connect",
                        "{\"auth_scheme\": \"API_KEY\", \"data\": {\"api_key\": \"" + API_KEY + "\"}}");
        assertEquals(201, connect.status(), connect.toString());

        SseStream.Message created = stream.nextEvent(WAIT);
        assertEquals("IntegrationCreated", created.event(), stream.raw());
        assertEquals("Keys", json(created).path("integration_name").asText(), created.data());
        SseStream.Message credentials = stream.nextEvent(WAIT);
        assertEquals("CredentialsSet", credentials.event(), stream.raw());
        JsonNode set = json(credentials);
        assertEquals("CredentialsSet", set.path("type").asText());
        assertEquals("Keys", set.path("integration_name").asText(), credentials.data());
        assertEquals("org-1", set.path("org_id").asText(), credentials.data());
        assertEquals("***", set.path("data").path("values").path("api_key").asText(), credentials.data());
        assertEquals("API_KEY", set.path("data").path("auth_scheme").asText(), credentials.data());
        assertTrue(set.path("version").asLong() > 0, credentials.data());
        assertFalse(stream.raw().contains(API_KEY), "the API key in clear: " + stream.raw());
        assertFalse(stream.raw().contains("ciphertext"), "a sealed value: " + stream.raw());
        assertTrue(ResumePosition.parse(credentials.id()).offsets().size() == 3, "every partition in the id");
    }

    @Test
    @Order(2)
    void shouldStreamAnIssuedTokenWithoutTheTokenOrTheClientSecret() throws Exception {
        SseStream.Message issued = issueGlobalToken("graph");

        JsonNode token = json(issued);
        assertEquals("graph", token.path("connection_name").asText(), issued.data());
        assertEquals("oauth-token/graph/*global*", token.path("aggregate_id").asText(), issued.data());
        assertEquals("***", token.path("data").path("access_token").asText(), issued.data());
        for (IssuedAccessToken t : provider.issuedAccessTokens()) {
            assertFalse(issued.data().contains(t.value()), "the access token in clear: " + issued.data());
        }
    }

    @Test
    @Order(3)
    void shouldStreamOnlyTheAskedTypes() throws Exception {
        SseStream.Message issued = issueGlobalToken("halo");
        long version = json(issued).path("version").asLong();
        SseStream stream = open(STREAM + "?types=TokenRefreshed,TokenRefreshFailed", TestTokens.admin(), Map.of());
        assertEquals(200, stream.status(), stream.body());
        stream.next(WAIT);

        // Same key as the connection, so the same partition, before the token's events: the stream passes over it.
        assertEquals(
                201,
                admin.post("/v1/integrations", "{\"name\": \"halo\", \"auth_scheme\": \"NO_AUTH\"}")
                        .status());
        String tokenId = Names.tokenId("halo", null);
        accept(RecordTokenRefreshFailure.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setIssuedAt(Instant.now())
                .setIssuedBy("token-refresher")
                .setExpectedVersion(version)
                .setTokenId(tokenId)
                .setConnectionName("halo")
                .setReason("HTTP 503")
                .setAttempts(1)
                .setNeedsReauth(false)
                .build());
        String refreshed = "refreshed-access-" + RUN;
        accept(RecordTokenRefresh.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setIssuedAt(Instant.now())
                .setIssuedBy("token-refresher")
                .setExpectedVersion(version + 1)
                .setTokenId(tokenId)
                .setConnectionName("halo")
                .setAccessToken(
                        hub.context().getBean(SecretBox.class).seal(refreshed, SecretPlaces.accessToken(tokenId)))
                .setExpiresAt(Instant.now().plusSeconds(3600))
                .setAttempts(1)
                .build());

        SseStream.Message failed = stream.nextEvent(WAIT);
        assertEquals("TokenRefreshFailed", failed.event(), stream.raw());
        assertEquals("HTTP 503", json(failed).path("data").path("reason").asText(), failed.data());
        SseStream.Message done = stream.nextEvent(WAIT);
        assertEquals("TokenRefreshed", done.event(), stream.raw());
        assertEquals("***", json(done).path("data").path("access_token").asText(), done.data());
        assertEquals(version + 2, json(done).path("version").asLong(), done.data());
        assertFalse(stream.raw().contains(refreshed), "the refreshed access token in clear: " + stream.raw());
        assertTrue(stream.next(Duration.ofSeconds(5)).heartbeat(), "nothing else: " + stream.raw());
    }

    @Test
    @Order(4)
    void shouldResumeRightAfterTheLastEventIdWithNothingLostOrRepeated() throws Exception {
        for (String name : List.of("R1", "R2", "R3")) {
            assertEquals(
                    201,
                    admin.post("/v1/integrations", "{\"name\": \"" + name + "\", \"auth_scheme\": \"NO_AUTH\"}")
                            .status());
        }
        SseStream first = open(STREAM + "?types=MappingUpserted", TestTokens.admin(), Map.of());
        first.next(WAIT);
        Set<String> written = new HashSet<>();
        for (int org = 1; org <= 4; org++) written.addAll(upsertMappings(org));
        Set<String> before = new HashSet<>();
        SseStream.Message last = null;
        for (int i = 0; i < 5; i++) {
            last = first.nextEvent(WAIT);
            before.add(mappingOf(last));
        }
        first.close();
        for (int org = 5; org <= 7; org++) written.addAll(upsertMappings(org));

        SseStream resumed =
                open(STREAM + "?types=MappingUpserted", TestTokens.admin(), Map.of("Last-Event-ID", last.id()));
        assertEquals(200, resumed.status(), resumed.body());
        Set<String> after = new HashSet<>();
        while (before.size() + after.size() < written.size()) {
            String mapping = mappingOf(resumed.nextEvent(WAIT));
            assertFalse(before.contains(mapping), "repeated after resuming: " + mapping + "; " + resumed.raw());
            assertTrue(after.add(mapping), "sent twice: " + mapping + "; " + resumed.raw());
        }
        Set<String> all = new HashSet<>(before);
        all.addAll(after);
        assertEquals(written, all, "every mapping upserted, once");
        assertTrue(resumed.next(Duration.ofSeconds(5)).heartbeat(), "nothing more: " + resumed.raw());
    }

    @Test
    @Order(5)
    void shouldResumeFromTheStartOfTheLogWhenTheIdIsOlderThanIt() throws Exception {
        assertEquals(
                201,
                admin.post("/v1/integrations", "{\"name\": \"Old\", \"auth_scheme\": \"NO_AUTH\"}")
                        .status());
        SseStream probe = open(STREAM + "?types=MappingUpserted", TestTokens.admin(), Map.of());
        String start = probe.next(WAIT).id();
        assertEquals(
                201,
                admin.put("/v1/integrations/Old/mappings/org-old", "{\"entity_id\": \"e-1\"}")
                        .status());
        SseStream.Message kept = probe.nextEvent(WAIT);
        probe.close();
        // The log now starts at that event on its partition: an id from before is older than the log.
        int partition = -1;
        for (var p : ResumePosition.parse(kept.id()).offsets().entrySet()) {
            if (!p.getValue().equals(ResumePosition.parse(start).offsets().get(p.getKey()))) partition = p.getKey();
        }
        long offset = ResumePosition.parse(kept.id()).offsets().get(partition) - 1;
        deleteRecordsBefore(new TopicPartition(deployment.eventsTopic(), partition), offset);

        // That partition from its first offset, which the log no longer holds; the others from where they stood.
        Map<Integer, Long> offsets = new TreeMap<>(ResumePosition.parse(start).offsets());
        offsets.put(partition, 0L);
        SseStream old = open(
                STREAM + "?types=MappingUpserted",
                TestTokens.admin(),
                Map.of("Last-Event-ID", new ResumePosition(offsets).id()));
        assertEquals(200, old.status(), old.body());
        SseStream.Message again = old.nextEvent(WAIT);
        assertEquals("Old/org-old", mappingOf(again), old.raw());
    }

    @Test
    @Order(6)
    void shouldSkipAnUnreadableRecordAndGoOn() throws Exception {
        SseStream stream = open(STREAM + "?types=IntegrationCreated", TestTokens.admin(), Map.of());
        stream.next(WAIT);
        produceGarbage(deployment.eventsTopic(), "Later");
        assertEquals(
                201,
                admin.post("/v1/integrations", "{\"name\": \"Later\", \"auth_scheme\": \"NO_AUTH\"}")
                        .status());

        SseStream.Message created = stream.nextEvent(WAIT);
        assertEquals("Later", json(created).path("integration_name").asText(), stream.raw());
    }

    @Test
    @Order(7)
    void shouldRefuseAnythingButAnAdminToken() {
        SseStream org = open(STREAM, TestTokens.org("org-1"), Map.of());
        assertEquals(403, org.status(), org.body());
        SseStream none = open(STREAM, null, Map.of());
        assertEquals(401, none.status(), none.body());
    }

    @Test
    @Order(8)
    void shouldNameTheTypesOrTheLastEventIdThatIsWrong() throws Exception {
        SseStream unknown = open(STREAM + "?types=TokenRefreshed,NoSuchEvent", TestTokens.admin(), Map.of());
        assertEquals(422, unknown.status(), unknown.body());
        assertProblemNames("types", unknown);
        assertFalse(unknown.body().contains("NoSuchEvent"), "the input echoed: " + unknown.body());
        SseStream repeated = open(STREAM + "?types=TokenIssued&types=NoSuchEvent", TestTokens.admin(), Map.of());
        assertEquals(422, repeated.status(), "every types value is read: " + repeated.body());
        assertProblemNames("types", repeated);

        SseStream bad = open(STREAM, TestTokens.admin(), Map.of("Last-Event-ID", "<script>"));
        assertEquals(422, bad.status(), bad.body());
        assertProblemNames("Last-Event-ID", bad);
        assertFalse(bad.body().contains("<script>"), "the input echoed: " + bad.body());
    }

    @Test
    @Order(9)
    void shouldAnswer503PastTheBoundAndOpenAgainOnceAClientWentAway() throws Exception {
        SseStream one = open(STREAM, TestTokens.admin(), Map.of());
        SseStream two = open(STREAM, TestTokens.admin(), Map.of());
        one.next(WAIT);
        two.next(WAIT);

        SseStream three = open(STREAM, TestTokens.admin(), Map.of());
        assertEquals(503, three.status(), three.body());
        assertTrue(three.body().contains("max-streams"), three.body());

        one.close();
        SseStream again = Await.until(
                WAIT,
                () -> {
                    SseStream s = open(STREAM, TestTokens.admin(), Map.of());
                    if (s.status() != 200) s.close();
                    return s;
                },
                s -> s.status() == 200,
                "a stream to open once a client went away");
        again.next(WAIT);
        assertFalse(two.ended(), "the other stream stays open");
    }

    private SseStream.Message issueGlobalToken(String connection) {
        SseStream stream = open(STREAM + "?types=TokenIssued", TestTokens.admin(), Map.of());
        stream.next(WAIT);
        String client = "svc-" + connection;
        provider.registerClient(client, CLIENT_SECRET, ClientAuth.POST);
        var created = admin.post(
                "/v1/oauth/connections", """
                {"connection_name": "%s", "grant_type": "client_credentials", "client_id": "%s",
                 "client_secret": "%s", "client_auth_method": "client_secret_post",
                 "token_url": "%s", "scopes": ["all"]}""".formatted(connection, client, CLIENT_SECRET, provider.tokenUrl()));
        assertEquals(201, created.status(), created.toString());
        var connect = admin.post("/v1/oauth/connections/" + connection + "/connect", "");
        assertEquals(201, connect.status(), connect.toString());
        SseStream.Message issued = stream.nextEvent(WAIT);
        assertEquals("TokenIssued", issued.event(), stream.raw());
        assertFalse(stream.raw().contains(CLIENT_SECRET), "the client secret: " + stream.raw());
        stream.close();
        return issued;
    }

    private static Set<String> upsertMappings(int org) {
        Set<String> written = new HashSet<>();
        for (String name : List.of("R1", "R2", "R3")) {
            var put = admin.put(
                    "/v1/integrations/" + name + "/mappings/org-" + org, "{\"entity_id\": \"e-" + org + "\"}");
            assertTrue(put.status() == 201 || put.status() == 200, put.toString());
            written.add(name + "/org-" + org);
        }
        return written;
    }

    private static String mappingOf(SseStream.Message message) {
        JsonNode event = json(message);
        assertEquals("MappingUpserted", message.event(), message.data());
        return event.path("integration_name").asText() + "/"
                + event.path("org_id").asText();
    }

    private static void accept(SpecificRecord command) throws Exception {
        String commandId = String.valueOf(
                command.get(command.getSchema().getField("command_id").pos()));
        String key = String.valueOf(
                command.get(command.getSchema().getField("connection_name").pos()));
        CommandOutcome outcome = hub.context()
                .getBean(CommandGateway.class)
                .send(key, commandId, command)
                .get(60, TimeUnit.SECONDS);
        assertTrue(outcome.getAccepted(), "expected accepted, got " + outcome);
    }

    private SseStream open(String path, String token, Map<String, String> headers) {
        SseStream stream = SseStream.open(hub.url() + path, token, headers);
        opened.add(stream);
        return stream;
    }

    private static EventStreams streams() {
        return hub.context().getBean(EventStreams.class);
    }

    private static JsonNode json(SseStream.Message message) {
        try {
            return JsonBody.mapper().readTree(message.data());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + message.data(), e);
        }
    }

    private static void assertProblemNames(String field, SseStream answer) throws Exception {
        JsonNode problem = JsonBody.mapper().readTree(answer.body());
        assertTrue(answer.header("Content-Type").orElse("").startsWith("application/problem+json"), answer.body());
        assertEquals(field, problem.path("errors").path(0).path("field").asText(), answer.body());
    }

    /** Bytes that are not the wire format and an unknown schema id, keyed like the integration that comes next. */
    private static void produceGarbage(String topic, String key) throws Exception {
        Properties props = new Properties();
        props.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] value : List.of(
                    "not a record".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0x7f, 0x12, 0x34, 0x56, 1, 2})) {
                RecordMetadata written = producer.send(
                                new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
                        .get(30, TimeUnit.SECONDS);
                assertTrue(written.offset() >= 0);
            }
        }
    }

    private static void deleteRecordsBefore(TopicPartition partition, long offset) throws Exception {
        Properties props = new Properties();
        props.put(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                HubTestCluster.shared().bootstrapServers());
        try (Admin kafka = Admin.create(props)) {
            kafka.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(offset)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
