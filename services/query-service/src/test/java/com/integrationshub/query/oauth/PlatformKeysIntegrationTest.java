package com.integrationshub.query.oauth;

import static com.integrationshub.testkit.QueryStrings.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Org tokens never receive the platform's OAuth keys (API.md, Conventions and "The org's view"): the connection's
 * client_secret and the global token's refresh_token read null for them, an org's own refresh_token does not; admins
 * see all. Every response carrying a secret has Cache-Control: no-store.
 */
class PlatformKeysIntegrationTest {

    private static final String CONNECTION = "keys-oauth";
    private static final String INTEGRATION = "Keys";

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
        provider.registerClient(
                "keys-client", "platform-client-secret", ClientAuth.BASIC, hub.url() + "/v1/oauth/callback");
        assertEquals(
                201,
                admin.post("/v1/oauth/connections", """
                {"connection_name": "%s", "client_id": "keys-client", "client_secret": "platform-client-secret",
                 "authorization_url": "%s", "token_url": "%s", "scopes": ["read"]}""".formatted(
                                        CONNECTION, provider.url("/authorize"), provider.url("/token")))
                        .status());
        assertEquals(
                201,
                admin.post("/v1/integrations", """
                {"name": "%s", "auth_scheme": "OAUTH2", "oauth_connection": "%s",
                 "config_schema": [{"key": "base_url", "type": "string"}]}""".formatted(INTEGRATION, CONNECTION))
                        .status());
        assertEquals(
                201,
                admin.put("/v1/integrations/Keys/mappings/org-own", "{\"entity_id\": \"tenant-own\"}")
                        .status());
        assertEquals(
                201,
                admin.put("/v1/integrations/Keys/mappings/org-mapped", "{\"entity_id\": \"tenant-mapped\"}")
                        .status());

        // The connection's global token, then org-own's own token.
        var global = admin.post("/v1/oauth/connections/" + CONNECTION + "/connect", "{}");
        assertEquals(201, global.status(), global.toString());
        assertEquals(
                "no-store", global.header("Cache-Control"), "a connect answer holds the state in its redirect_url");
        assertEquals(
                200,
                callback(provider.authorize(
                                query(global.json().get("redirect_url").asText())))
                        .status());
        var own = admin.as(TestTokens.org("org-own"))
                .post("/v1/orgs/org-own/integrations/Keys/connect", "{\"auth_scheme\": \"OAUTH2\", \"data\": {}}");
        assertEquals(201, own.status(), own.toString());
        assertEquals("no-store", own.header("Cache-Control"), "a connect answer holds the state in its redirect_url");
        assertEquals(
                200,
                callback(provider.authorize(query(own.json().get("redirect_url").asText())))
                        .status());
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
        if (provider != null) provider.close();
    }

    @Test
    void shouldHideTheClientSecretAndTheGlobalRefreshTokenFromAnOrgWithoutAMapping() {
        var view = admin.as(TestTokens.org("org-stranger")).get("/v1/orgs/org-stranger/integrations/Keys");
        assertEquals(200, view.status(), view.toString());
        JsonNode oauth = view.json().get("oauth");
        assertEquals("active", oauth.get("status").asText(), view.body());
        assertTrue(
                provider.accessTokenValid(oauth.get("access_token").asText()),
                "the global token's access token serves the org");
        assertTrue(oauth.get("client_secret").isNull(), "client_secret for an org token: " + view.body());
        assertTrue(
                oauth.get("refresh_token").isNull(),
                "the global token's refresh_token for an org token: " + view.body());
        assertFalse(view.body().contains("platform-client-secret"), view.body());
        assertEquals("no-store", view.header("Cache-Control"), "the org view reveals secrets");
    }

    @Test
    void shouldHideThePlatformKeysFromAMappedOrgServedByTheGlobalToken() {
        Http org = admin.as(TestTokens.org("org-mapped"));
        JsonNode oauth = org.get("/v1/orgs/org-mapped/integrations/Keys").json().get("oauth");
        assertTrue(
                oauth.get("client_secret").isNull()
                        && oauth.get("refresh_token").isNull(),
                oauth.toString());
        var list = org.get("/v1/orgs/org-mapped/integrations");
        assertEquals(200, list.status(), list.toString());
        JsonNode listed = list.json().get(0).get("oauth");
        assertTrue(
                listed.get("client_secret").isNull()
                        && listed.get("refresh_token").isNull(),
                "the org's list: " + list.body());
        assertTrue(provider.accessTokenValid(listed.get("access_token").asText()), list.body());
        assertEquals("no-store", list.header("Cache-Control"), "the org's list reveals secrets");
    }

    @Test
    void shouldShowAnOrgItsOwnRefreshTokenButNotTheClientSecret() {
        JsonNode oauth = admin.as(TestTokens.org("org-own"))
                .get("/v1/orgs/org-own/integrations/Keys")
                .json()
                .get("oauth");
        assertTrue(oauth.get("client_secret").isNull(), oauth.toString());
        assertFalse(oauth.get("refresh_token").isNull(), "the org's own token's refresh_token: " + oauth);
        assertTrue(provider.accessTokenValid(oauth.get("access_token").asText()), oauth.toString());
    }

    @Test
    void shouldShowAnAdminThePlatformKeys() {
        for (String path : new String[] {"/v1/orgs/org-stranger/integrations/Keys", "/v1/integrations/Keys/global"}) {
            var view = admin.get(path);
            assertEquals(200, view.status(), view.toString());
            JsonNode oauth = view.json().get("oauth");
            assertEquals("platform-client-secret", oauth.get("client_secret").asText(), path + ": " + view.body());
            assertFalse(oauth.get("refresh_token").isNull(), path + ": the global token's refresh_token for an admin");
            assertEquals("no-store", view.header("Cache-Control"), path + " reveals secrets");
        }
        JsonNode listed =
                admin.get("/v1/orgs/org-mapped/integrations").json().get(0).get("oauth");
        assertEquals("platform-client-secret", listed.get("client_secret").asText(), listed.toString());
        assertFalse(listed.get("refresh_token").isNull(), listed.toString());
    }

    @Test
    void shouldMarkCredentialsAnswersNoStoreWhetherTheyHoldTheTokenOrAnAuthorizeUrl() {
        var credentials = admin.as(TestTokens.org("org-own")).get("/v1/orgs/org-own/integrations/Keys/credentials");
        assertEquals(200, credentials.status(), credentials.toString());
        assertEquals("no-store", credentials.header("Cache-Control"), "credentials reveal the access token");

        assertEquals(201, admin.post("/v1/integrations", """
                {"name": "KeysElsewhere", "auth_scheme": "API_KEY"}""").status());
        var none = admin.as(TestTokens.org("org-own")).get("/v1/orgs/org-own/integrations/KeysElsewhere/credentials");
        assertEquals(409, none.status(), none.toString());
        assertEquals("no-store", none.header("Cache-Control"), "a problem answer of a secret-bearing route too");
    }

    @Test
    void shouldLeaveAnswersWithoutSecretsCacheable() {
        var integration = admin.get("/v1/integrations/Keys");
        assertEquals(200, integration.status(), integration.toString());
        assertEquals(null, integration.header("Cache-Control"), "the admin's integration masks secrets");
    }

    private static Http.Reply callback(String redirectBack) {
        URI uri = URI.create(redirectBack);
        return new Http(hub.url(), null).get("/v1/oauth/callback?" + uri.getRawQuery());
    }
}
