package com.integrationshub.query.contract;

import static com.integrationshub.testkit.QueryStrings.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.query.security.InternalToken;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.Fault;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every hostile request of the hardening issue, sent in turn to one hub through the real broker, each answered as
 * API.md says; afterwards /health is UP and a normal write and read still work.
 */
class HostileRequestsTest {

    private static OAuthProviderStandIn provider;
    /** The host a token endpoint redirects to: it must never hear from the hub. */
    private static OAuthProviderStandIn elsewhere;

    private static HubInstance.Deployment deployment;
    private static HubInstance hub;
    private static Http admin;
    private static Http anonymous;
    private static BrokerTopics topics;

    @BeforeAll
    static void start() {
        provider = OAuthProviderStandIn.start();
        elsewhere = OAuthProviderStandIn.start();
        deployment = HubInstance.Deployment.fresh();
        hub = HubInstance.start(deployment, HubInstance.newStateDir(), HubInstance.freePort());
        admin = new Http(hub.url(), TestTokens.admin());
        anonymous = new Http(hub.url(), null);
        topics = new BrokerTopics((String) deployment.properties().get("hub.kafka.bootstrap-servers"));
        Await.ready(admin);
        provider.registerClient("hub-client", "platform-secret", ClientAuth.BASIC, hub.url() + "/v1/oauth/callback");
        elsewhere.registerClient("hub-client", "platform-secret", ClientAuth.BASIC, hub.url() + "/v1/oauth/callback");
        assertStatus(201, admin.post("/v1/integrations", """
                {"name": "Keys", "auth_scheme": "API_KEY", "config_schema": [{"key": "base_url", "type": "string"}],
                 "credential_headers": {"X-Api-Key": "{api_key}"}}"""), "create Keys");
        assertStatus(
                201,
                admin.post("/v1/oauth/connections", """
                {"connection_name": "platform", "client_id": "hub-client", "client_secret": "platform-secret",
                 "authorization_url": "%s", "token_url": "%s", "scopes": ["read"]}""".formatted(provider.authorizationUrl(), provider.tokenUrl())),
                "create connection");
        assertStatus(
                201,
                admin.post(
                        "/v1/integrations",
                        "{\"name\": \"Platform\", \"auth_scheme\": \"OAUTH2\", \"oauth_connection\": \"platform\"}"),
                "create Platform");
        // The connection's global token, authorized by an admin: every org without its own token is served by it.
        var connect = admin.post("/v1/oauth/connections/platform/connect", "{}");
        assertStatus(201, connect, "global connect");
        String back =
                provider.authorize(query(connect.json().get("redirect_url").asText()));
        assertStatus(200, anonymous.get("/v1/oauth/callback?" + URI.create(back).getRawQuery()), "global callback");
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
        if (provider != null) provider.close();
        if (elsewhere != null) elsewhere.close();
    }

    @Test
    void shouldStayUpAndServeAfterEveryHostileRequestOfTheHardeningIssue() {
        Http orgA = admin.as(TestTokens.org("org-a"));
        Http orgB = admin.as(TestTokens.org("org-b"));

        // One org request that used to stop the query service for good: an API key making a record over Kafka's limit.
        String huge = "{\"auth_scheme\": \"API_KEY\", \"data\": {\"api_key\": \"" + "k".repeat(1_048_320) + "\"}}";
        assertStatus(413, orgA.post("/v1/orgs/org-a/integrations/Keys/connect", huge), "oversized connect");
        assertStatus(
                422,
                orgA.post(
                        "/v1/orgs/org-a/integrations/Keys/connect",
                        "{\"auth_scheme\": \"API_KEY\", \"data\": {\"api_key\": \"" + "k".repeat(70 * 1024) + "\"}}"),
                "a value over 64 KiB");

        // 40,000 bad schema entries: a small 422 listing at most 100 errors.
        StringBuilder schema =
                new StringBuilder("{\"name\": \"Many\", \"auth_scheme\": \"NO_AUTH\", \"config_schema\": [");
        for (int i = 0; i < 40_000; i++) schema.append(i == 0 ? "" : ",").append("{\"key\":\"\"}");
        var many = admin.post("/v1/integrations", schema.append("]}").toString());
        assertTrue(many.status() == 422, "expected 422 for 40,000 bad entries, got " + many.status());
        assertTrue(
                many.body().length() < 64 * 1024,
                "a small problem, got " + many.body().length() + " bytes");
        JsonNode errors = many.json().get("errors");
        assertTrue(
                errors != null && errors.size() <= 100,
                "at most 100 field errors: " + (errors == null ? 0 : errors.size()));

        // Malformed JSON: 400, and no part of the input comes back.
        var malformed = admin.post("/v1/integrations", "{\"name\": \"echo-me-back-7f3a\", \"auth_scheme\": ");
        assertStatus(400, malformed, "malformed JSON");
        assertFalse(malformed.body().contains("echo-me-back-7f3a"), "input echoed: " + malformed.body());

        // Idempotency keys are scoped to the caller, the command and the resource.
        Map<String, String> shared = Map.of("Idempotency-Key", "shared-1", "Content-Type", "application/json");
        assertStatus(
                201,
                orgB.send(
                        "POST",
                        "/v1/orgs/org-b/integrations/Keys/connect",
                        "{\"auth_scheme\": \"API_KEY\", \"data\": {\"api_key\": \"key-of-b\"}}",
                        shared),
                "org-b connect");
        assertStatus(
                201,
                orgA.send(
                        "POST",
                        "/v1/orgs/org-a/integrations/Keys/connect",
                        "{\"auth_scheme\": \"API_KEY\", \"data\": {\"api_key\": \"key-of-a\"}}",
                        shared),
                "org-a connect, same key");
        var credentialsA = orgA.get("/v1/orgs/org-a/integrations/Keys/credentials");
        assertStatus(200, credentialsA, "org-a credentials");
        assertEquals("key-of-a", credentialsA.json().get("X-Api-Key").asText(), "org-a's own key was stored");
        assertStatus(
                200,
                admin.send("PATCH", "/v1/integrations/Keys", "{\"description\": \"patched\"}", shared),
                "admin PATCH, same key");
        assertEquals(
                "patched",
                admin.get("/v1/integrations/Keys").json().get("description").asText(),
                "the PATCH applied");
        assertStatus(
                422,
                orgA.send(
                        "POST",
                        "/v1/orgs/org-a/integrations/Keys/connect",
                        "{\"auth_scheme\": \"API_KEY\", \"data\": {\"api_key\": \"another\"}}",
                        shared),
                "same key, other request");

        // A token endpoint's redirect is refused: the redirect target never gets the code, the verifier or the secret.
        var orgConnect = orgA.post(
                "/v1/orgs/org-a/integrations/Platform/connect", "{\"auth_scheme\": \"OAUTH2\", \"data\": {}}");
        assertStatus(201, orgConnect, "org-a OAuth connect");
        String orgBack =
                provider.authorize(query(orgConnect.json().get("redirect_url").asText()));
        provider.failNext(1, Fault.redirect(307, elsewhere.tokenUrl()));
        assertStatus(
                400,
                anonymous.get("/v1/oauth/callback?" + URI.create(orgBack).getRawQuery()),
                "redirected token endpoint");
        assertEquals(0, elsewhere.tokenCalls(), "the redirect was followed");

        // An org without a mapping gets the org's view, but not the platform's keys.
        var view = admin.as(TestTokens.org("org-c")).get("/v1/orgs/org-c/integrations/Platform");
        assertStatus(200, view, "org-c view");
        assertEquals("no-store", view.header("Cache-Control"), "a secret-bearing answer is not cacheable");
        JsonNode oauth = view.json().get("oauth");
        assertTrue(
                oauth.get("client_secret").isNull(), "client_secret for an org token: " + oauth.get("client_secret"));
        assertTrue(oauth.get("refresh_token").isNull(), "the global refresh_token for an org token");
        assertFalse(oauth.get("access_token").isNull(), "the org is still served by the global access token");
        assertFalse(
                admin.get("/v1/orgs/org-c/integrations/Platform")
                        .json()
                        .get("oauth")
                        .get("client_secret")
                        .isNull(),
                "an admin sees the client secret");

        // Tokens the hub must refuse, and an org reached through an encoded path segment.
        assertStatus(
                401,
                admin.as(sign(Map.of("sub", "x", "roles", List.of("admin")), null, null))
                        .get("/v1/integrations"),
                "a token without exp");
        Instant yearAhead = Instant.now().plus(Duration.ofDays(365));
        assertStatus(
                401,
                admin.as(sign(Map.of("sub", "x", "roles", List.of("admin")), yearAhead, yearAhead.plusSeconds(60)))
                        .get("/v1/integrations"),
                "iat a year ahead");
        assertStatus(403, orgA.get("/v1/orgs/%6Frg-b/integrations/Keys/credentials"), "org-a reading org-b encoded");
        String internal = hub.context().getBean(InternalToken.class).current();
        assertStatus(401, admin.as(internal).get("/v1/integrations"), "the internal token on a public endpoint");

        // Reads never write: no active token answers 409 with an authorize URL and appends nothing.
        Http orgD = admin.as(TestTokens.org("org-d"));
        assertStatus(201, admin.put("/v1/integrations/Keys/mappings/org-d", "{\"entity_id\": \"d\"}"), "map org-d");
        Map<TopicPartition, Long> before = topics.endOffsets(deployment.eventsTopic());
        for (int i = 0; i < 5; i++) {
            var none = orgD.get("/v1/orgs/org-d/integrations/Keys/credentials");
            assertStatus(409, none, "credentials before any connect");
        }
        assertEquals(before, topics.endOffsets(deployment.eventsTopic()), "GET .../credentials appended events");

        // Small items: a null config, an empty PATCH.
        assertStatus(422, admin.put("/v1/integrations/Keys/defaults", "{\"config\": null}"), "{\"config\": null}");
        long version = admin.get("/v1/integrations/Keys").json().get("version").asLong();
        assertStatus(200, admin.patch("/v1/integrations/Keys", "{}"), "empty PATCH");
        assertEquals(
                version,
                admin.get("/v1/integrations/Keys").json().get("version").asLong(),
                "an empty PATCH kept the version");

        // Garbage straight onto the commands and events topics.
        produceGarbage(deployment.commandsTopic());
        produceGarbage(deployment.eventsTopic());

        // Still up, still writing and reading.
        var health = anonymous.get("/health");
        assertStatus(200, health, "/health");
        assertEquals("UP", health.json().get("status").asText(), health.body());
        assertStatus(
                200,
                admin.put("/v1/integrations/Keys/defaults", "{\"config\": {\"base_url\": \"https://after\"}}"),
                "a normal write");
        assertEquals(
                "https://after",
                orgA.get("/v1/orgs/org-a/integrations/Keys")
                        .json()
                        .get("config")
                        .get("base_url")
                        .asText(),
                "a normal read sees it");
    }

    private static void assertStatus(int expected, Http.Reply reply, String what) {
        assertEquals(expected, reply.status(), what + ": " + abbreviate(reply.body()));
    }

    private static String abbreviate(String body) {
        return body == null || body.length() < 400 ? body : body.substring(0, 400) + "...";
    }

    private static String sign(Map<String, Object> claims, Instant issuedAt, Instant expires) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
        claims.forEach(builder::claim);
        if (issuedAt != null) builder.issueTime(Date.from(issuedAt));
        if (expires != null) builder.expirationTime(Date.from(expires));
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), builder.build());
            jwt.sign(new MACSigner(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void produceGarbage(String topic) {
        Properties props = new Properties();
        props.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, deployment.properties().get("hub.kafka.bootstrap-servers"));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                    topic,
                    "Keys".getBytes(StandardCharsets.UTF_8),
                    "not an avro record".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(
                    topic, "Keys".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 1, 2, 3}));
            producer.flush();
        }
    }
}
