package com.integrationshub.query.contract;

import static com.integrationshub.testkit.QueryStrings.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.Poll;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.oauth1.OAuth1ProviderStandIn;
import com.integrationshub.testkit.oauth1.ResourceCall;
import com.integrationshub.testkit.oauth1.TestRsaKey;
import com.integrationshub.testkit.oauth1.Verdict;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * OAuth 1.0a (RFC 5849) through the public HTTP API against a provider stand-in whose signature check is its own
 * (test-kit): connect, authorize, callback, the org's view and credentials, sign, the proxy, a refused token, and no
 * secret in clear on a topic or in a log. The steps build on each other, so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OAuth1FlowContractTest {

    private static final String CONSUMER_KEY = "trello-key";
    private static final String CONSUMER_SECRET = "trello-consumer-secret-" + System.nanoTime();
    private static final String VIEW = "/v1/orgs/org-1/integrations/Trello";
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

    private static OAuth1ProviderStandIn provider;
    private static HubInstance.Deployment deployment;
    private static HubInstance hub;
    private static Http admin;
    private static Http org;
    private static String callbackBack;

    @BeforeAll
    static void start() {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        LOGS.setName("oauth1-flow-test");
        LOGS.start();
        root.addAppender(LOGS);
        ((Logger) LoggerFactory.getLogger("com.integrationshub")).setLevel(Level.DEBUG);
        provider = OAuth1ProviderStandIn.start();
        provider.registerConsumer(CONSUMER_KEY, CONSUMER_SECRET, "HMAC-SHA1");
        deployment = HubInstance.Deployment.fresh();
        hub = HubInstance.start(deployment);
        admin = new Http(hub.url(), TestTokens.admin());
        org = admin.as(TestTokens.org("org-1"));
        Await.ready(admin);
        var created = admin.post("/v1/oauth/connections", """
                {"connection_name": "trello", "grant_type": "oauth1", "client_id": "%s", "client_secret": "%s",
                 "request_token_url": "%s", "authorization_url": "%s", "access_token_url": "%s"}""".formatted(
                        CONSUMER_KEY,
                        CONSUMER_SECRET,
                        provider.requestTokenUrl(),
                        provider.authorizationUrl(),
                        provider.accessTokenUrl()));
        assertEquals(201, created.status(), created.toString());
        assertEquals(201, admin.post("/v1/integrations", """
                {"name": "Trello", "auth_scheme": "OAUTH1", "oauth_connection": "trello",
                 "config_schema": [{"key": "base_url", "type": "string"}]}""").status());
        assertEquals(
                201,
                admin.put("/v1/integrations/Trello/mappings/org-1", """
                                {"entity_id": "member-1", "config": {"base_url": "%s"}}""".formatted(provider.resourceUrl("1")))
                        .status());
    }

    @AfterAll
    static void stop() {
        try {
            if (hub != null) hub.close();
            if (provider != null) provider.close();
        } finally {
            ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
        }
    }

    @Test
    @Order(1)
    void shouldShowTheConnectionWithItsEndpointsAndMethodAndTheSecretMasked() {
        var connection = admin.get("/v1/oauth/connections/trello");
        assertEquals(200, connection.status(), connection.toString());
        JsonNode c = connection.json();
        assertEquals("oauth1", c.get("grant_type").asText());
        assertEquals("HMAC-SHA1", c.get("signature_method").asText(), "HMAC-SHA1 by default");
        assertEquals(provider.requestTokenUrl(), c.get("request_token_url").asText());
        assertEquals(provider.accessTokenUrl(), c.get("access_token_url").asText());
        assertEquals("***", c.get("client_secret").asText());

        var before = org.get(VIEW);
        assertEquals("missing", before.json().get("oauth").get("status").asText(), before.body());
    }

    @Test
    @Order(2)
    void shouldConnectThroughTheProviderAndStoreTheTokenCredentials() {
        var connect = org.post(VIEW + "/connect", "{\"auth_scheme\": \"OAUTH1\", \"data\": {}}");
        assertEquals(201, connect.status(), connect.toString());
        assertEquals("trello/org-1", connect.json().get("connection_id").asText());
        String redirect = connect.json().get("redirect_url").asText();
        assertTrue(redirect.startsWith(provider.authorizationUrl() + "?oauth_token="), redirect);

        callbackBack = provider.authorize(redirect);
        Map<String, String> back = query(callbackBack);
        assertNotNull(back.get("oauth_verifier"), callbackBack);
        assertNotNull(back.get("state"), "the hub's state came back in its callback's query: " + callbackBack);
        var callback = callback(callbackBack);
        assertEquals(200, callback.status(), callback.toString());
        assertTrue(callback.contentType().startsWith("text/html"), callback.contentType());

        var view = org.get(VIEW);
        JsonNode oauth = view.json().get("oauth");
        assertEquals("active", oauth.get("status").asText(), view.body());
        assertTrue(oauth.get("expires_at").isNull(), "OAuth 1.0a tokens do not expire: " + view.body());
        assertEquals("HMAC-SHA1", oauth.get("signature_method").asText());
        assertEquals(CONSUMER_KEY, oauth.get("client_id").asText());
        String token = oauth.get("access_token").asText();
        String secret = oauth.get("token_secret").asText();
        assertTrue(
                provider.accessTokens().stream()
                        .anyMatch(t -> t.token().equals(token) && t.secret().equals(secret)),
                "the provider's own token credentials: " + view.body());
        assertFalse(view.body().contains(CONSUMER_SECRET), "an org never receives the consumer secret");

        var credentials = org.get(VIEW + "/credentials");
        assertEquals(200, credentials.status(), credentials.toString());
        assertEquals(token, credentials.json().get("oauth_token").asText());
        assertEquals(secret, credentials.json().get("oauth_token_secret").asText());
        assertEquals(CONSUMER_KEY, credentials.json().get("consumer_key").asText());
        assertEquals("HMAC-SHA1", credentials.json().get("signature_method").asText());
    }

    @Test
    @Order(3)
    void shouldRefuseTheCallbackReplayedAndStoreNothingMore() {
        List<String> before =
                provider.accessTokens().stream().map(t -> t.token()).toList();
        var replay = callback(callbackBack);
        assertEquals(400, replay.status(), replay.toString());
        assertTrue(replay.json().get("type").asText().endsWith("/invalid-state"), replay.body());
        assertEquals(
                before, provider.accessTokens().stream().map(t -> t.token()).toList(), "no exchange was made");

        var unknown = callback(callbackBack.replaceAll("state=[^&]+", "state=forged~trello"));
        assertEquals(400, unknown.status(), unknown.toString());
    }

    @Test
    @Order(4)
    void shouldSignAGetWithAQueryAndAPostWithFormParametersAsTheProviderChecksThem() {
        String getUrl = provider.resourceUrl("1/boards?fields=name,url&filter=open");
        var get = org.post(VIEW + "/sign", "{\"method\": \"GET\", \"url\": \"%s\"}".formatted(getUrl));
        assertEquals(200, get.status(), get.toString());
        String header = get.json().get("Authorization").asText();
        assertTrue(header.startsWith("OAuth "), header);
        Verdict getVerdict = provider.check("GET", getUrl, header, null);
        assertTrue(getVerdict.accepted(), "the provider verifies the GET: " + getVerdict);

        String postUrl = provider.resourceUrl("1/cards?idList=abc");
        var post = org.post(VIEW + "/sign", """
                {"method": "post", "url": "%s", "form": {"name": "Ça va? 100%% & more", "label": ["red", "blue"]}}""".formatted(postUrl));
        assertEquals(200, post.status(), post.toString());
        String form = "name=%C3%87a%20va%3F%20100%25%20%26%20more&label=red&label=blue";
        Verdict postVerdict =
                provider.check("POST", postUrl, post.json().get("Authorization").asText(), form);
        assertTrue(postVerdict.accepted(), "the provider verifies the POST with its form: " + postVerdict);
        Verdict tampered = provider.check(
                "POST", postUrl, post.json().get("Authorization").asText(), form.replace("red", "green"));
        assertFalse(tampered.accepted(), "a changed form does not verify, so the form was signed: " + tampered);

        var invalid = org.post(VIEW + "/sign", "{\"method\": \"GET\", \"url\": \"ftp://x\", \"form\": {\"a\": 1}}");
        assertEquals(422, invalid.status(), invalid.toString());
        Set<String> fields = new TreeSet<>();
        invalid.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertEquals(Set.of("form"), fields, invalid.body());
    }

    @Test
    @Order(5)
    void shouldSignEveryProxiedRequestWithoutTheCallersToken() {
        var get = org.get(VIEW + "/proxy/boards?fields=name");
        assertEquals(200, get.status(), get.toString());
        var post = org.send(
                "POST",
                VIEW + "/proxy/cards?idList=abc",
                "name=New%20card&desc=a%2Bb",
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertEquals(200, post.status(), post.toString());
        var put = org.put(VIEW + "/proxy/cards/c1", "{\"closed\": true}");
        assertEquals(200, put.status(), put.toString());
        var delete = org.delete(VIEW + "/proxy/cards/c1");
        assertEquals(200, delete.status(), delete.toString());

        List<ResourceCall> calls = provider.resourceCalls();
        List<String> seen = new ArrayList<>();
        for (ResourceCall call : calls) seen.add(call.method() + " " + call.path());
        assertTrue(seen.contains("GET /api/1/boards"), seen.toString());
        assertTrue(seen.contains("POST /api/1/cards"), seen.toString());
        assertTrue(seen.contains("PUT /api/1/cards/c1"), seen.toString());
        assertTrue(seen.contains("DELETE /api/1/cards/c1"), seen.toString());
        ResourceCall created = calls.stream()
                .filter(c -> c.method().equals("POST"))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of("New card"), created.form().get("name"), "the form parameters were signed: " + created);
        assertEquals(List.of("a+b"), created.form().get("desc"));
        assertEquals(List.of("abc"), created.query().get("idList"));
    }

    @Test
    @Order(6)
    void shouldMarkTheTokenNeedsReauthWhenTheProviderRejectsIt() {
        String token = org.get(VIEW).json().get("oauth").get("access_token").asText();
        provider.revoke(token);

        var refused = org.get(VIEW + "/proxy/boards");
        assertEquals(401, refused.status(), "the provider's answer passes through: " + refused);
        assertEquals(null, refused.header("X-Hub-Proxy"), refused.toString());

        Poll.until(
                Duration.ofSeconds(20),
                () -> org.get(VIEW).json().get("oauth"),
                oauth -> "needs_reauth".equals(oauth.get("status").asText()),
                "the token needs reauthorization");
        JsonNode oauth = org.get(VIEW).json().get("oauth");
        assertEquals("token_rejected", oauth.get("reauth_reason").asText(), oauth.toString());
        var credentials = org.get(VIEW + "/credentials");
        assertEquals(409, credentials.status(), credentials.toString());
        var refresh = org.post(VIEW + "/refresh", "");
        assertTrue(refresh.status() >= 400, "an OAuth 1.0a token is not refreshed: " + refresh);
    }

    @Test
    @Order(7)
    void shouldRefuseAMalformedRsaKeyAndPlaintextOverHttpNamingTheField() {
        var badKey = admin.post("/v1/oauth/connections", """
                {"connection_name": "rsa-bad", "grant_type": "oauth1", "client_id": "k", "client_secret": "not a key",
                 "signature_method": "RSA-SHA1", "request_token_url": "%s", "authorization_url": "%s",
                 "access_token_url": "%s"}""".formatted(
                        provider.requestTokenUrl(), provider.authorizationUrl(), provider.accessTokenUrl()));
        assertEquals(422, badKey.status(), badKey.toString());
        assertEquals(
                "client_secret", badKey.json().get("errors").get(0).get("field").asText(), badKey.body());
        assertFalse(badKey.body().contains("not a key"), "the key is never echoed: " + badKey.body());

        var goodKey = admin.post("/v1/oauth/connections", """
                {"connection_name": "rsa-good", "grant_type": "oauth1", "client_id": "k", "client_secret": "%s",
                 "signature_method": "RSA-SHA1", "request_token_url": "%s", "authorization_url": "%s",
                 "access_token_url": "%s"}""".formatted(
                        TestRsaKey.generate().pkcs8Pem().replace("\n", "\\n"),
                        provider.requestTokenUrl(),
                        provider.authorizationUrl(),
                        provider.accessTokenUrl()));
        assertEquals(201, goodKey.status(), goodKey.toString());
        assertEquals("RSA-SHA1", goodKey.json().get("signature_method").asText());

        var plaintext = admin.post("/v1/oauth/connections", """
                {"connection_name": "plain", "grant_type": "oauth1", "client_id": "k", "client_secret": "s",
                 "signature_method": "PLAINTEXT", "request_token_url": "%s", "authorization_url": "%s",
                 "access_token_url": "%s"}""".formatted(
                        provider.requestTokenUrl(), provider.authorizationUrl(), provider.accessTokenUrl()));
        assertEquals(422, plaintext.status(), plaintext.toString());
        Set<String> fields = new TreeSet<>();
        plaintext.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertEquals(Set.of("request_token_url", "access_token_url"), fields, plaintext.body());
    }

    @Test
    @Order(8)
    void shouldKeepTheConsumerSecretAndEveryTokenSecretOutOfTheTopicsAndLogs() {
        List<String> secrets = new ArrayList<>(provider.secretsIssued());
        secrets.add(CONSUMER_SECRET);
        assertTrue(secrets.size() >= 3, "a temporary and an access token secret at least: " + secrets.size());
        String applicationId = (String) deployment.properties().get("hub.streams.application-id");
        BrokerTopics broker = new BrokerTopics((String) deployment.properties().get("hub.kafka.bootstrap-servers"));
        Set<String> names = broker.names(n -> n.startsWith(applicationId));
        assertTrue(names.size() > 4, names.toString());
        List<String> leaks = new ArrayList<>();
        int records = 0;
        for (String topic : names) {
            for (BrokerTopics.RawRecord record : broker.read(topic)) {
                records++;
                for (String secret : secrets) {
                    if (record.contains(secret.getBytes(StandardCharsets.UTF_8))) leaks.add(secret + " in " + topic);
                }
            }
        }
        assertTrue(records > 10, "read the deployment's records: " + records);
        synchronized (LOGS) {
            for (ILoggingEvent event : LOGS.list) {
                String line = event.getFormattedMessage();
                for (String secret : secrets) if (line.contains(secret)) leaks.add(secret + " in log: " + line);
            }
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    @Order(9)
    void shouldNeverFollowAProviderRedirectWithTheSignedRequest() throws Exception {
        HttpServer redirecting = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<String> asked = new ArrayList<>();
        redirecting.createContext("/", exchange -> {
            asked.add(exchange.getRequestURI().getPath());
            exchange.getResponseHeaders().add("Location", provider.requestTokenUrl());
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        redirecting.start();
        try {
            String moved = "http://127.0.0.1:" + redirecting.getAddress().getPort() + "/request-token";
            int callsBefore = provider.calls().size();
            assertEquals(
                    201,
                    admin.post("/v1/oauth/connections", """
                    {"connection_name": "moved", "grant_type": "oauth1", "client_id": "%s", "client_secret": "%s",
                     "request_token_url": "%s", "authorization_url": "%s", "access_token_url": "%s"}""".formatted(
                                            CONSUMER_KEY,
                                            CONSUMER_SECRET,
                                            moved,
                                            provider.authorizationUrl(),
                                            provider.accessTokenUrl()))
                            .status());
            assertEquals(201, admin.post("/v1/integrations", """
                    {"name": "Moved", "auth_scheme": "OAUTH1", "oauth_connection": "moved"}""").status());

            var connect = admin.post(
                    "/v1/orgs/org-2/integrations/Moved/connect", "{\"auth_scheme\": \"OAUTH1\", \"data\": {}}");
            assertEquals(502, connect.status(), connect.toString());
            assertTrue(connect.body().contains("redirect_refused"), connect.body());
            assertEquals(List.of("/request-token"), asked, "the hub asked the configured URL once");
            assertEquals(callsBefore, provider.calls().size(), "the redirect was not followed to the provider");
        } finally {
            redirecting.stop(0);
        }
    }

    @Test
    @Order(10)
    void shouldRefuseHostileSignRequestsAndKeepServing() {
        var otherOrg =
                admin.as(TestTokens.org("org-2")).post(VIEW + "/sign", "{\"method\": \"GET\", \"url\": \"https://a\"}");
        assertEquals(403, otherOrg.status(), "another org's token: " + otherOrg);
        var anonymous = new Http(hub.url(), null).post(VIEW + "/sign", "{\"method\": \"GET\", \"url\": \"https://a\"}");
        assertEquals(401, anonymous.status(), anonymous.toString());
        var malformed = org.post(VIEW + "/sign", "{\"method\": ");
        assertEquals(400, malformed.status(), malformed.toString());
        var oversized = org.post(
                VIEW + "/sign",
                "{\"method\": \"GET\", \"url\": \"https://a\", \"form\": {\"x\": \"" + "a".repeat(2 * 1024 * 1024)
                        + "\"}}");
        assertEquals(413, oversized.status(), "an oversized body: " + oversized.status());
        var badMethod = org.post(VIEW + "/sign", "{\"method\": \"GET /x\", \"url\": \"https://a\"}");
        assertEquals(422, badMethod.status(), badMethod.toString());
        assertEquals(200, admin.get("/v1/oauth/connections/trello").status(), "the service still answers");
    }

    private static Http.Reply callback(String redirectBack) {
        URI uri = URI.create(redirectBack);
        return new Http(hub.url(), null).get("/v1/oauth/callback?" + uri.getRawQuery());
    }
}
