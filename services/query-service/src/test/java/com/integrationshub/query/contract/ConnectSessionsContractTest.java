package com.integrationshub.query.contract;

import static com.integrationshub.query.contract.ProblemAssert.assertInvalidFields;
import static com.integrationshub.query.contract.ProblemAssert.assertProblem;
import static com.integrationshub.testkit.QueryStrings.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.query.connect.ConnectSessionTokens;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import com.integrationshub.testkit.oauth1.OAuth1ProviderStandIn;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** "Hosted connect page" of API.md through HTTP against a real broker: sessions, the page, its status and connects. */
class ConnectSessionsContractTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String RETURN_URL = "https://app.example/settings";

    private static OAuthProviderStandIn provider;
    private static OAuth1ProviderStandIn oauth1;
    private static HubInstance hub;
    private static Http admin;
    private static Http anonymous;

    @BeforeAll
    static void start() {
        provider = OAuthProviderStandIn.start();
        oauth1 = OAuth1ProviderStandIn.start();
        oauth1.registerConsumer("page-key", "page-consumer-secret", "HMAC-SHA1");
        hub = HubInstance.start(HubInstance.Deployment.fresh(Map.of("hub.connect.return-urls", RETURN_URL)));
        admin = new Http(hub.url(), TestTokens.admin());
        anonymous = new Http(hub.url(), null);
        Await.ready(admin);
        provider.registerClient("hub-client", "hub-secret", ClientAuth.BASIC, hub.url() + "/v1/oauth/callback");
        assertEquals(
                201,
                admin.post("/v1/oauth/connections", """
                {"connection_name": "page-oauth", "client_id": "hub-client", "client_secret": "hub-secret",
                 "authorization_url": "%s", "token_url": "%s", "scopes": ["read"]}""".formatted(provider.authorizationUrl(), provider.tokenUrl()))
                        .status());
        assertEquals(
                201,
                admin.post("/v1/oauth/connections", """
                {"connection_name": "page-oauth1", "grant_type": "oauth1", "client_id": "page-key",
                 "client_secret": "page-consumer-secret", "request_token_url": "%s", "authorization_url": "%s",
                 "access_token_url": "%s"}""".formatted(
                                        oauth1.requestTokenUrl(), oauth1.authorizationUrl(), oauth1.accessTokenUrl()))
                        .status());
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
        if (provider != null) provider.close();
        if (oauth1 != null) oauth1.close();
    }

    @Test
    void shouldCreateASessionForAnAdminOrTheOrgsOwnToken() {
        String name = apiKeyIntegration();
        Instant before = Instant.now();

        var created = admin.post(sessions("org-a"), "{\"integrations\": [\"" + name + "\"]}");

        assertEquals(201, created.status(), created::toString);
        JsonNode body = created.json();
        String token = body.get("token").asText();
        assertEquals(hub.url() + "/connect/" + token, body.get("url").asText(), body::toString);
        Instant expiresAt = Instant.parse(body.get("expires_at").asText());
        assertTrue(
                !expiresAt.isBefore(before.plusSeconds(1799))
                        && !expiresAt.isAfter(Instant.now().plusSeconds(1800)),
                "by default a session lasts 1800 s: " + body);
        assertEquals("no-store", created.header("Cache-Control"), "the token opens the page: no cache keeps it");

        var byOrg = admin.as(TestTokens.org("org-a"))
                .post(sessions("org-a"), "{\"integrations\": [\"" + name + "\"], \"expires_in\": 60}");
        assertEquals(201, byOrg.status(), byOrg::toString);
        Instant shortOne = Instant.parse(byOrg.json().get("expires_at").asText());
        assertTrue(shortOne.isBefore(Instant.now().plusSeconds(61)), "expires_in 60: " + byOrg.body());

        assertProblem(
                admin.as(TestTokens.org("org-b")).post(sessions("org-a"), "{\"integrations\": [\"" + name + "\"]}"),
                403,
                "forbidden");
        assertProblem(anonymous.post(sessions("org-a"), "{\"integrations\": [\"" + name + "\"]}"), 401, "unauthorized");
    }

    @Test
    void shouldNameEachInvalidFieldOfASessionRequest() {
        String name = apiKeyIntegration();

        assertInvalidFields(admin.post(sessions("org-v"), "{}"), "integrations");
        assertInvalidFields(admin.post(sessions("org-v"), "{\"integrations\": []}"), "integrations");
        assertInvalidFields(
                admin.post(sessions("org-v"), "{\"integrations\": [\"" + name + "\", \"Nowhere-x\"]}"),
                "integrations[1]");
        assertInvalidFields(
                admin.post(sessions("org-v"), "{\"integrations\": [\"" + name + "\", \"bad name\"]}"),
                "integrations[1]");
        assertInvalidFields(
                admin.post(sessions("org-v"), "{\"integrations\": [\"" + name + "\"], \"expires_in\": 59}"),
                "expires_in");
        assertInvalidFields(
                admin.post(sessions("org-v"), "{\"integrations\": [\"" + name + "\"], \"expires_in\": 3601}"),
                "expires_in");
        JsonNode notAllowed = assertInvalidFields(
                admin.post(
                        sessions("org-v"),
                        "{\"integrations\": [\"" + name + "\"], \"return_url\": \"https://evil.test/settings\"}"),
                "return_url");
        assertFalse(notAllowed.toString().contains("evil.test"), "the refusal does not echo the URL: " + notAllowed);
        assertInvalidFields(
                admin.post(
                        sessions("org-v"),
                        "{\"integrations\": [\"" + name + "\"], \"return_url\": \"https://app.example/settings-x\"}"),
                "return_url");
        assertInvalidFields(admin.post("/v1/orgs/bad%20org/connect-sessions", "{\"integrations\": [\"A\"]}"), "org_id");
        assertProblem(admin.post(sessions("org-v"), "not json"), 400, "malformed-request");

        var allowed = admin.post(
                sessions("org-v"),
                "{\"integrations\": [\"" + name + "\"], \"return_url\": \"https://app.example/settings/hub?x=1\"}");
        assertEquals(201, allowed.status(), allowed::toString);
    }

    @Test
    void shouldServeThePageForAValidSessionAndAnErrorPageOtherwise() {
        String name = apiKeyIntegration();
        String token = session("org-p", name);

        var page = anonymous.get("/connect/" + token);
        assertEquals(200, page.status(), page::toString);
        assertTrue(page.contentType().startsWith("text/html"), page.contentType());
        assertTrue(page.body().contains("src=\"/connect-assets/connect.js\""), page.body());
        assertFalse(page.body().contains(name), "the shell holds no data; the script reads the status");
        assertFalse(page.body().matches("(?s).*<script[^>]*>[^<]+</script>.*"), "no inline script");

        String expired = expiredToken("org-p", name);
        var gone = anonymous.get("/connect/" + expired);
        assertEquals(410, gone.status(), gone::toString);
        assertErrorPage(gone, name);

        String payload = token.substring(0, token.indexOf('.'));
        String tampered = payload.substring(0, payload.length() - 2)
                + (payload.endsWith("A") ? "B" : "A")
                + payload.charAt(payload.length() - 1)
                + token.substring(token.indexOf('.'));
        for (String bad :
                List.of(tampered, "not-a-session", token + "x", TestTokens.org("org-p"), TestTokens.admin())) {
            var refused = anonymous.get("/connect/" + bad);
            assertEquals(404, refused.status(), () -> bad + ": " + refused);
            assertErrorPage(refused, name);
        }

        var script = anonymous.get("/connect-assets/connect.js");
        assertEquals(200, script.status(), script::toString);
        assertTrue(script.contentType().contains("javascript"), script.contentType());
        assertEquals(200, anonymous.get("/connect-assets/connect.css").status());
    }

    @Test
    void shouldReadTheSessionsStatus() {
        String apiKey = apiKeyIntegration();
        String oauth = oauthIntegration();
        String basic = "Basic-" + SEQUENCE.incrementAndGet();
        assertEquals(
                201,
                admin.post("/v1/integrations", "{\"name\": \"" + basic + "\", \"auth_scheme\": \"BASIC\"}")
                        .status());
        String token = sessionWith("org-s", List.of(apiKey, oauth, basic), RETURN_URL + "/x");

        var status = anonymous.get("/connect/" + token + "/status");

        assertEquals(200, status.status(), status::toString);
        JsonNode body = status.json();
        assertEquals("org-s", body.get("org_id").asText(), body::toString);
        assertEquals(RETURN_URL + "/x", body.get("return_url").asText());
        assertTrue(body.hasNonNull("expires_at"), body::toString);
        JsonNode items = body.get("integrations");
        assertEquals(List.of(apiKey, oauth, basic), names(items), "the session's integrations, in its order");
        assertEquals("API_KEY", items.get(0).get("auth_scheme").asText());
        assertEquals("An API-key integration", items.get(0).get("description").asText());
        assertEquals("missing", items.get(0).get("status").asText());
        assertEquals("api_key", items.get(0).get("fields").get(0).get("key").asText());
        assertTrue(items.get(0).get("fields").get(0).get("secret").asBoolean());
        assertEquals("OAUTH2", items.get(1).get("auth_scheme").asText());
        assertEquals("missing", items.get(1).get("status").asText());
        assertEquals(0, items.get(1).get("fields").size());
        assertEquals("username", items.get(2).get("fields").get(0).get("key").asText(), "the user name first");
        assertEquals("password", items.get(2).get("fields").get(1).get("key").asText());

        assertProblem(anonymous.get("/connect/" + expiredToken("org-s", apiKey) + "/status"), 410, "session-expired");
        assertProblem(anonymous.get("/connect/nonsense/status"), 404, "not-found");
    }

    @Test
    void shouldConnectAnApiKeyThroughThePageForTheSessionsOrg() {
        String name = apiKeyIntegration();
        String org = "org-k" + SEQUENCE.incrementAndGet();
        String token = session(org, name);
        String connect = "/connect/" + token + "/integrations/" + name + "/connect";

        JsonNode empty =
                assertInvalidFields(anonymous.post(connect, "{\"data\": {\"api_key\": \"\"}}"), "data.api_key");
        assertEquals(1, empty.get("errors").size(), empty::toString);
        assertInvalidFields(anonymous.post(connect, "{\"data\": {}}"), "data.api_key");
        assertInvalidFields(anonymous.post(connect, "{\"data\": {\"api_key\": \"k\"}, \"org\": \"x\"}"), "org");

        var connected = anonymous.post(connect, "{\"data\": {\"api_key\": \"sk_page_1\"}}");

        assertEquals(201, connected.status(), connected::toString);
        assertTrue(connected.json().hasNonNull("connection_id"), connected::toString);
        var credentials =
                admin.as(TestTokens.org(org)).get("/v1/orgs/" + org + "/integrations/" + name + "/credentials");
        assertEquals(200, credentials.status(), credentials::toString);
        assertEquals("sk_page_1", credentials.json().get("api_key").asText(), "the org's credentials read shows it");
        assertEquals(
                "active",
                anonymous
                        .get("/connect/" + token + "/status")
                        .json()
                        .get("integrations")
                        .get(0)
                        .get("status")
                        .asText());
        assertEquals(
                409,
                admin.get("/v1/orgs/org-other/integrations/" + name + "/credentials")
                        .status(),
                "only the session's org got credentials");
        assertFalse(
                admin.get("/v1/integrations/" + name + "/history").body().contains("sk_page_1"),
                "history masks the key");
    }

    @Test
    void shouldConnectOAuthThroughThePageAndShowItActive() {
        String name = oauthIntegration();
        String org = "org-o" + SEQUENCE.incrementAndGet();
        String token = session(org, name);

        var started = anonymous.post("/connect/" + token + "/integrations/" + name + "/connect", "{\"data\": {}}");

        assertEquals(201, started.status(), started::toString);
        String redirect = started.json().get("redirect_url").asText();
        assertTrue(redirect.startsWith(provider.authorizationUrl()), redirect);
        var callback = anonymous.get("/v1/oauth/callback?"
                + URI.create(provider.authorize(query(redirect))).getRawQuery());
        assertEquals(200, callback.status(), callback::toString);
        JsonNode item = anonymous
                .get("/connect/" + token + "/status")
                .json()
                .get("integrations")
                .get(0);
        assertEquals("active", item.get("status").asText(), item::toString);
        JsonNode view = admin.as(TestTokens.org(org))
                .get("/v1/orgs/" + org + "/integrations/" + name)
                .json();
        assertEquals("active", view.get("oauth").get("status").asText(), "the org's own token: " + view);
    }

    @Test
    void shouldConnectOAuth1ThroughThePageAndShowItActive() {
        String name = "Trello-" + SEQUENCE.incrementAndGet();
        assertEquals(
                201,
                admin.post(
                                "/v1/integrations",
                                "{\"name\": \"" + name + "\", \"auth_scheme\": \"OAUTH1\", "
                                        + "\"oauth_connection\": \"page-oauth1\"}")
                        .status());
        String org = "org-o1-" + SEQUENCE.incrementAndGet();
        String token = session(org, name);

        var started = anonymous.post("/connect/" + token + "/integrations/" + name + "/connect", "{\"data\": {}}");

        assertEquals(201, started.status(), started::toString);
        String redirect = started.json().get("redirect_url").asText();
        assertTrue(redirect.startsWith(oauth1.authorizationUrl() + "?oauth_token="), redirect);
        var callback = anonymous.get(
                "/v1/oauth/callback?" + URI.create(oauth1.authorize(redirect)).getRawQuery());
        assertEquals(200, callback.status(), callback::toString);
        JsonNode item = anonymous
                .get("/connect/" + token + "/status")
                .json()
                .get("integrations")
                .get(0);
        assertEquals("OAUTH1", item.get("auth_scheme").asText());
        assertEquals("active", item.get("status").asText(), item::toString);
    }

    @Test
    void shouldRefuseWhatTheSessionDoesNotList() {
        String listed = apiKeyIntegration();
        String other = apiKeyIntegration();
        String token = session("org-n", listed);

        assertProblem(
                anonymous.post(
                        "/connect/" + token + "/integrations/" + other + "/connect",
                        "{\"data\": {\"api_key\": \"k\"}}"),
                403,
                "forbidden");
        assertProblem(
                anonymous.post(
                        "/connect/" + token + "/integrations/Nowhere/connect", "{\"data\": {\"api_key\": \"k\"}}"),
                403,
                "forbidden");
        assertEquals(
                409,
                admin.get("/v1/orgs/org-n/integrations/" + other + "/credentials")
                        .status(),
                "nothing was stored for the unlisted integration");
        assertEquals(
                List.of(listed),
                names(anonymous.get("/connect/" + token + "/status").json().get("integrations")));
        assertProblem(
                anonymous.post(
                        "/connect/" + expiredToken("org-n", listed) + "/integrations/" + listed + "/connect",
                        "{\"data\": {\"api_key\": \"k\"}}"),
                410,
                "session-expired");
    }

    @Test
    void shouldRefuseTheSessionTokenAsAnApiBearerToken() {
        String name = apiKeyIntegration();
        String token = session("org-t", name);
        Http bearer = admin.as(token);

        assertProblem(bearer.get("/v1/orgs/org-t/integrations/" + name), 401, "unauthorized");
        assertProblem(bearer.get("/v1/orgs/org-t/integrations/" + name + "/credentials"), 401, "unauthorized");
        assertProblem(bearer.post(sessions("org-t"), "{\"integrations\": [\"" + name + "\"]}"), 401, "unauthorized");
        assertProblem(bearer.get("/v1/integrations"), 401, "unauthorized");
    }

    private static void assertErrorPage(Http.Reply reply, String name) {
        assertTrue(reply.contentType().startsWith("text/html"), () -> "an HTML error page, got " + reply);
        assertFalse(reply.body().contains(name), "no integration name on the error page");
        assertFalse(reply.body().contains("<script"), "the error page runs nothing");
    }

    private static String sessions(String org) {
        return "/v1/orgs/" + org + "/connect-sessions";
    }

    private static String session(String org, String name) {
        return sessionWith(org, List.of(name), null);
    }

    private static String sessionWith(String org, List<String> names, String returnUrl) {
        StringBuilder body = new StringBuilder("{\"integrations\": [");
        for (int i = 0; i < names.size(); i++)
            body.append(i == 0 ? "" : ",").append('"').append(names.get(i)).append('"');
        body.append(']');
        if (returnUrl != null)
            body.append(", \"return_url\": \"").append(returnUrl).append('"');
        var created = admin.post(sessions(org), body.append('}').toString());
        assertEquals(201, created.status(), created::toString);
        return created.json().get("token").asText();
    }

    /** A session that expired a minute ago, signed as the hub signs them (the same secret). */
    private static String expiredToken(String org, String name) {
        return new ConnectSessionTokens(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8))
                .issue(org, List.of(name), Optional.empty(), Instant.now().minus(Duration.ofMinutes(1)))
                .token();
    }

    private static String apiKeyIntegration() {
        String name = "Keyed-" + SEQUENCE.incrementAndGet();
        var created = admin.post("/v1/integrations", """
                {"name": "%s", "description": "An API-key integration", "auth_scheme": "API_KEY"}""".formatted(name));
        assertEquals(201, created.status(), created::toString);
        return name;
    }

    private static String oauthIntegration() {
        String name = "OAuthed-" + SEQUENCE.incrementAndGet();
        var created = admin.post("/v1/integrations", """
                {"name": "%s", "auth_scheme": "OAUTH2", "oauth_connection": "page-oauth"}""".formatted(name));
        assertEquals(201, created.status(), created::toString);
        return name;
    }

    private static List<String> names(JsonNode items) {
        List<String> names = new ArrayList<>();
        items.forEach(i -> names.add(i.get("name").asText()));
        return names;
    }
}
