package com.integrationshub.query.orgview;

import static com.integrationshub.testkit.QueryStrings.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.PrometheusText;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The org view cache (on, as by default) never answers what a read from the stores would not: each test reads a
 * view twice (the second answer is the kept one), changes one thing it was read from through the API, and expects
 * the very next read to show the change.
 */
class OrgViewCacheIntegrationTest {

    private static OAuthProviderStandIn provider;
    private static HubInstance hub;
    private static Http admin;

    @BeforeAll
    static void start() {
        provider = OAuthProviderStandIn.start();
        // No refresher runs here: a read of an expired token waits this long for a refresh, then serves it expired.
        hub = HubInstance.start(HubInstance.Deployment.fresh(Map.of("hub.oauth.refresh-wait", "1s")));
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
        provider.registerClient("cache-client", "cache-secret", ClientAuth.BASIC, hub.url() + "/v1/oauth/callback");
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
        if (provider != null) provider.close();
    }

    @Test
    void shouldShowEveryChangeOfDefaultsAndMappingsAtTheNextRead() {
        created(admin.post("/v1/integrations", """
                {"name": "Cached", "auth_scheme": "API_KEY", "config_schema": [{"key": "base_url", "type": "string"},
                 {"key": "api_key", "type": "secret"}]}"""));
        ok(admin.put(
                "/v1/integrations/Cached/defaults",
                "{\"config\": {\"base_url\": \"https://one\", \"api_key\": \"k1\"}}"));
        Http org = admin.as(TestTokens.org("org-c"));
        String path = "/v1/orgs/org-c/integrations/Cached";

        JsonNode before = kept(org, path);
        assertTrue(before.get("entity_id").isNull(), before.toString());

        ok(admin.put(
                "/v1/integrations/Cached/defaults",
                "{\"config\": {\"base_url\": \"https://two\", \"api_key\": \"k2\"}}"));
        JsonNode defaults = kept(org, path);
        assertEquals("https://two", defaults.at("/config/base_url").asText(), "a defaults change: " + defaults);
        assertEquals("k2", defaults.at("/config/api_key").asText(), "a changed secret: " + defaults);

        created(admin.put("/v1/integrations/Cached/mappings/org-c", """
                {"entity_id": "tenant-1", "config": {"base_url": "https://org"}}"""));
        JsonNode mapped = kept(org, path);
        assertEquals("tenant-1", mapped.get("entity_id").asText(), "a new mapping: " + mapped);
        assertEquals("https://org", mapped.at("/config/base_url").asText(), mapped.toString());

        ok(admin.put("/v1/integrations/Cached/mappings/org-c", """
                {"entity_id": "tenant-2", "config": {"api_key": "org-key"}}"""));
        JsonNode remapped = kept(org, path);
        assertEquals("tenant-2", remapped.get("entity_id").asText(), "a changed mapping: " + remapped);
        assertEquals("https://two", remapped.at("/config/base_url").asText(), "an override removed: " + remapped);
        assertEquals("org-key", remapped.at("/config/api_key").asText(), remapped.toString());

        assertEquals(204, admin.delete("/v1/integrations/Cached/mappings/org-c").status());
        JsonNode unmapped = kept(org, path);
        assertTrue(unmapped.get("entity_id").isNull(), "a deleted mapping: " + unmapped);

        JsonNode global = kept(admin, "/v1/integrations/Cached/global");
        ok(admin.put("/v1/integrations/Cached/defaults", "{\"config\": {\"base_url\": \"https://three\"}}"));
        assertNotEquals(
                global, kept(admin, "/v1/integrations/Cached/global"), "the global view after a defaults change");
        assertEquals(
                "https://three",
                kept(admin, "/v1/integrations/Cached/global")
                        .at("/config/base_url")
                        .asText());

        assertEquals(204, admin.delete("/v1/integrations/Cached").status());
        assertEquals(404, org.get(path).status(), "a deleted integration is not served from the cache");

        // The second read of each pair above was answered by the cache (else this test would prove nothing of it).
        assertTrue(hits() >= 6, "org view cache hits: " + hits());
    }

    private static double hits() {
        var scraped = admin.get("/prometheus");
        assertEquals(200, scraped.status(), scraped.toString());
        return PrometheusText.parse(scraped.body())
                .value("cache_gets_total", Map.of("cache", "org_view", "result", "hit"));
    }

    @Test
    void shouldShowEveryChangeOfTheConnectionAndItsTokensAtTheNextRead() {
        created(admin.post("/v1/oauth/connections", """
                {"connection_name": "cache-oauth", "client_id": "cache-client", "client_secret": "cache-secret",
                 "authorization_url": "%s", "token_url": "%s", "scopes": ["read"]}""".formatted(provider.url("/authorize"), provider.url("/token"))));
        created(admin.post("/v1/integrations", """
                {"name": "CachedOAuth", "auth_scheme": "OAUTH2", "oauth_connection": "cache-oauth"}"""));
        created(admin.put("/v1/integrations/CachedOAuth/mappings/org-o", "{\"entity_id\": \"tenant-o\"}"));
        Http org = admin.as(TestTokens.org("org-o"));
        String path = "/v1/orgs/org-o/integrations/CachedOAuth";

        assertEquals("missing", kept(org, path).at("/oauth/status").asText(), "no token yet");

        // The connection's global token serves the org.
        connect(admin.post("/v1/oauth/connections/cache-oauth/connect", "{}"));
        JsonNode global = kept(org, path);
        assertEquals("active", global.at("/oauth/status").asText(), global.toString());
        String globalToken = global.at("/oauth/access_token").asText();
        assertTrue(provider.accessTokenValid(globalToken), global.toString());
        assertTrue(global.at("/oauth/client_secret").isNull(), "an org token never gets the platform's keys");
        assertEquals(
                "cache-secret", kept(admin, path).at("/oauth/client_secret").asText(), "an admin does");
        assertTrue(kept(org, path).at("/oauth/client_secret").isNull(), "the admin's kept view is not the org's");

        // The org's own token takes over.
        connect(org.post(
                "/v1/orgs/org-o/integrations/CachedOAuth/connect", "{\"auth_scheme\": \"OAUTH2\", \"data\": {}}"));
        JsonNode own = kept(org, path);
        String ownToken = own.at("/oauth/access_token").asText();
        assertNotEquals(globalToken, ownToken, "the org's own token after it connected: " + own);
        assertTrue(provider.accessTokenValid(ownToken), own.toString());

        // A new token of the org's (connected again; this test runs no refresher that could refresh it).
        connect(org.post(
                "/v1/orgs/org-o/integrations/CachedOAuth/connect", "{\"auth_scheme\": \"OAUTH2\", \"data\": {}}"));
        JsonNode reissued = kept(org, path);
        assertNotEquals(ownToken, reissued.at("/oauth/access_token").asText(), "the org's new token: " + reissued);
        assertTrue(provider.accessTokenValid(reissued.at("/oauth/access_token").asText()), reissued.toString());

        // A change of the connection itself.
        var patched = admin.patch("/v1/oauth/connections/cache-oauth", "{\"scopes\": [\"read\", \"write\"]}");
        assertEquals(200, patched.status(), patched.toString());
        JsonNode rescoped = kept(org, path);
        assertEquals(2, rescoped.at("/oauth/scopes").size(), "the connection's new scopes: " + rescoped);
    }

    @Test
    void shouldNotServeAKeptViewPastTheExpiryOfTheTokenItShows() throws InterruptedException {
        created(admin.post("/v1/oauth/connections", """
                {"connection_name": "brief-oauth", "client_id": "cache-client", "client_secret": "cache-secret",
                 "authorization_url": "%s", "token_url": "%s", "scopes": ["read"]}""".formatted(provider.url("/authorize"), provider.url("/token"))));
        created(admin.post("/v1/integrations", """
                {"name": "BriefOAuth", "auth_scheme": "OAUTH2", "oauth_connection": "brief-oauth"}"""));
        provider.setExpiresIn(Duration.ofSeconds(3));
        try {
            connect(admin.post("/v1/oauth/connections/brief-oauth/connect", "{}"));
        } finally {
            provider.setExpiresIn(Duration.ofHours(1));
        }
        String path = "/v1/orgs/org-b/integrations/BriefOAuth";
        JsonNode first = kept(admin, path);
        assertEquals("active", first.at("/oauth/status").asText(), first.toString());

        Instant expiry = Instant.parse(first.at("/oauth/expires_at").asText());
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiry).toMillis()) + 200);

        JsonNode after = admin.get(path).json();
        assertEquals("expired", after.at("/oauth/status").asText(), "a kept view past its token's expiry: " + after);
    }

    /** Reads a view twice (the second from the cache, when it keeps it) and checks both answers are the same. */
    private static JsonNode kept(Http caller, String path) {
        var first = caller.get(path);
        assertEquals(200, first.status(), first.toString());
        var second = caller.get(path);
        assertEquals(200, second.status(), second.toString());
        assertEquals(first.json(), second.json(), "two reads with nothing changed between them");
        assertEquals(first.header("ETag"), second.header("ETag"), "the ETag of a kept view");
        assertEquals("no-store", second.header("Cache-Control"), "a kept view reveals secrets too");
        return second.json();
    }

    private static void connect(Http.Reply started) {
        assertEquals(201, started.status(), started.toString());
        URI back = URI.create(
                provider.authorize(query(started.json().get("redirect_url").asText())));
        var callback = new Http(hub.url(), null).get("/v1/oauth/callback?" + back.getRawQuery());
        assertEquals(200, callback.status(), callback.toString());
    }

    private static void created(Http.Reply reply) {
        assertEquals(201, reply.status(), reply.toString());
    }

    private static void ok(Http.Reply reply) {
        assertEquals(200, reply.status(), reply.toString());
    }
}
