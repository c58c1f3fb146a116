package com.integrationshub.query.oauth;

import static com.integrationshub.testkit.QueryStrings.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The authorization-code flow with PKCE and static credentials, through the public HTTP API, against a provider. */
class OAuthConnectFlowIntegrationTest {

    private static OAuthProviderStandIn provider;
    private static HubInstance hub;
    private static Http admin;

    @BeforeAll
    static void start() {
        provider = OAuthProviderStandIn.start();
        int port = HubInstance.freePort();
        hub = HubInstance.start(HubInstance.Deployment.fresh(), HubInstance.newStateDir(), port);
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
        provider.registerClient("hub-client", "hub-secret", ClientAuth.BASIC, hub.url() + "/v1/oauth/callback");
        assertEquals(
                201,
                admin.post("/v1/oauth/connections", """
                {"connection_name": "halo-oauth", "client_id": "hub-client", "client_secret": "hub-secret",
                 "authorization_url": "%s", "token_url": "%s", "scopes": ["read"]}""".formatted(
                                        provider.url("/{entity_id}/authorize"), provider.url("/{entity_id}/token")))
                        .status());
        assertEquals(201, admin.post("/v1/integrations", """
                {"name": "HaloPSA", "auth_scheme": "OAUTH2", "oauth_connection": "halo-oauth",
                 "config_schema": [{"key": "base_url", "type": "string"}]}""").status());
        for (String org : new String[] {"org-1", "org-2", "org-3"}) {
            assertEquals(
                    201,
                    admin.put(
                                    "/v1/integrations/HaloPSA/mappings/" + org,
                                    "{\"entity_id\": \"tenant-" + org.substring(4) + "\"}")
                            .status());
        }
    }

    @AfterAll
    static void stop() {
        hub.close();
        provider.close();
    }

    @Test
    void shouldStoreTheTokenOfACompletedAuthorizationAndServeItInTheOrgView() {
        Http org = admin.as(TestTokens.org("org-1"));
        var before = org.get("/v1/orgs/org-1/integrations/HaloPSA");
        assertEquals("missing", before.json().get("oauth").get("status").asText(), before.body());

        var connect =
                org.post("/v1/orgs/org-1/integrations/HaloPSA/connect", "{\"auth_scheme\": \"OAUTH2\", \"data\": {}}");
        assertEquals(201, connect.status(), connect.toString());
        String redirect = connect.json().get("redirect_url").asText();
        Map<String, String> query = query(redirect);
        assertTrue(redirect.startsWith(provider.url("/tenant-1/authorize")), "entity id fills the URL: " + redirect);
        assertEquals("S256", query.get("code_challenge_method"));
        assertNotNull(query.get("state"));

        var callback = callback(provider.authorize(query));
        assertEquals(200, callback.status(), callback.toString());
        assertTrue(callback.contentType().startsWith("text/html"), callback.contentType());

        var view = org.get("/v1/orgs/org-1/integrations/HaloPSA");
        var oauth = view.json().get("oauth");
        assertEquals("active", oauth.get("status").asText(), view.body());
        assertTrue(provider.accessTokenValid(oauth.get("access_token").asText()), "the provider's own access token");
        assertTrue(
                oauth.get("client_secret").isNull(), "an org token never receives the client secret: " + view.body());
        assertEquals(
                "hub-secret",
                admin.get("/v1/orgs/org-1/integrations/HaloPSA")
                        .json()
                        .get("oauth")
                        .get("client_secret")
                        .asText(),
                "an admin does");
        assertEquals(provider.url("/tenant-1/token"), oauth.get("token_url").asText());
        assertTrue(
                provider.paths().stream().anyMatch(p -> p.startsWith("/tenant-1/token")),
                provider.paths().toString());

        var mapping = admin.get("/v1/integrations/HaloPSA/mappings/org-1");
        assertEquals(
                "halo-oauth/org-1",
                mapping.json().get("oauth_token_id").asText(),
                "the org's token is linked: " + mapping.body());

        var credentials = org.get("/v1/orgs/org-1/integrations/HaloPSA/credentials");
        assertEquals(200, credentials.status(), credentials.toString());
        assertEquals(
                oauth.get("access_token").asText(),
                credentials.json().get("access_token").asText());
    }

    @Test
    void shouldRefuseAReplayedStateAndStoreNothing() {
        Http org = admin.as(TestTokens.org("org-2"));
        var connect =
                org.post("/v1/orgs/org-2/integrations/HaloPSA/connect", "{\"auth_scheme\": \"OAUTH2\", \"data\": {}}");
        String redirectBack =
                provider.authorize(query(connect.json().get("redirect_url").asText()));
        assertEquals(200, callback(redirectBack).status());

        var replay = callback(redirectBack);
        assertEquals(400, replay.status(), replay.toString());
        assertTrue(replay.json().get("type").asText().endsWith("/invalid-state"), replay.body());
    }

    @Test
    void shouldRefuseToConnectAnOrgWithoutTheEntityItsProviderUrlsNeed() {
        var connect = admin.as(TestTokens.org("org-unmapped"))
                .post(
                        "/v1/orgs/org-unmapped/integrations/HaloPSA/connect",
                        "{\"auth_scheme\": \"OAUTH2\", \"data\": {}}");
        assertEquals(422, connect.status(), connect.toString());
        assertEquals(
                "entity_id", connect.json().get("errors").get(0).get("field").asText(), connect.body());
    }

    @Test
    void shouldRefuseAnUnknownStateWithoutCallingTheProvider() {
        int calls = provider.tokenCalls();
        var unknown = new Http(hub.url(), null).get("/v1/oauth/callback?code=abc&state=made-up~halo-oauth");
        assertEquals(400, unknown.status(), unknown.toString());
        var malformed = new Http(hub.url(), null).get("/v1/oauth/callback?code=abc&state=nonsense");
        assertEquals(400, malformed.status(), malformed.toString());
        assertEquals(calls, provider.tokenCalls(), "the provider is not called for a state that is not ours");
    }

    @Test
    void shouldAnswerNotAuthorizedWithAnAuthorizeUrlBeforeConnecting() {
        Http org = admin.as(TestTokens.org("org-3"));
        var credentials = org.get("/v1/orgs/org-3/integrations/HaloPSA/credentials");
        assertEquals(409, credentials.status(), credentials.toString());
        assertTrue(credentials.json().get("type").asText().endsWith("/not-authorized"), credentials.body());
        assertEquals(
                hub.url() + "/v1/orgs/org-3/integrations/HaloPSA/connect",
                credentials.json().get("authorize_url").asText(),
                "a read mints no state: authorize_url is the hub's connect, " + credentials.body());
    }

    @Test
    void shouldRenderCredentialHeadersForAnApiKeyAndNameAMissingKey() {
        assertEquals(201, admin.post("/v1/integrations", """
                {"name": "Billing", "auth_scheme": "API_KEY",
                 "config_schema": [{"key": "account", "type": "string"}],
                 "credential_headers": {"Authorization": "Bearer {api_key}", "X-Account": "{account}"}}""").status());
        Http org = admin.as(TestTokens.org("org-9"));
        var none = org.get("/v1/orgs/org-9/integrations/Billing/credentials");
        assertEquals(409, none.status(), none.toString());
        assertTrue(none.json().get("type").asText().endsWith("/not-authorized"), none.body());

        var connect = org.post(
                "/v1/orgs/org-9/integrations/Billing/connect",
                "{\"auth_scheme\": \"API_KEY\", \"data\": {\"api_key\": \"sk_live_9\"}}");
        assertEquals(201, connect.status(), connect.toString());
        var missing = org.get("/v1/orgs/org-9/integrations/Billing/credentials");
        assertEquals(409, missing.status(), missing.toString());
        assertTrue(missing.json().get("type").asText().endsWith("/key-not-found"), missing.body());
        assertEquals("account", missing.json().get("key").asText());

        assertEquals(
                201,
                admin.put(
                                "/v1/integrations/Billing/mappings/org-9",
                                "{\"entity_id\": \"acct\", \"config\": {\"account\": \"A-9\"}}")
                        .status());
        var rendered = org.get("/v1/orgs/org-9/integrations/Billing/credentials");
        assertEquals(200, rendered.status(), rendered.toString());
        assertEquals("Bearer sk_live_9", rendered.json().get("Authorization").asText());
        assertEquals("A-9", rendered.json().get("X-Account").asText());

        var wrongScheme =
                org.post("/v1/orgs/org-9/integrations/Billing/connect", "{\"auth_scheme\": \"BASIC\", \"data\": {}}");
        assertEquals(422, wrongScheme.status(), wrongScheme.toString());
        var noKey =
                org.post("/v1/orgs/org-9/integrations/Billing/connect", "{\"auth_scheme\": \"API_KEY\", \"data\": {}}");
        assertEquals(422, noKey.status(), noKey.toString());
        assertFalse(
                admin.get("/v1/integrations/Billing/history").body().contains("sk_live_9"), "history masks the key");
    }

    private static Http.Reply callback(String redirectBack) {
        URI uri = URI.create(redirectBack);
        return new Http(hub.url(), null).get("/v1/oauth/callback?" + uri.getRawQuery());
    }
}
