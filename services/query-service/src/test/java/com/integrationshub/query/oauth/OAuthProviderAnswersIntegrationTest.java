package com.integrationshub.query.oauth;

import static com.integrationshub.testkit.QueryStrings.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.Fault;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the callback does with each provider answer, through the broker: a token endpoint's redirect is never
 * followed (nor its credentials sent on), any provider answer uses the state up, only RFC 6749 error codes are
 * repeated, and the callback page is never cached.
 */
class OAuthProviderAnswersIntegrationTest {

    private static OAuthProviderStandIn provider;
    /** Another host the provider's token endpoint redirects to: it must never hear from the hub. */
    private static OAuthProviderStandIn elsewhere;

    private static HubInstance hub;
    private static Http admin;
    private static Http anonymous;

    @BeforeAll
    static void start() {
        provider = OAuthProviderStandIn.start();
        elsewhere = OAuthProviderStandIn.start();
        int port = HubInstance.freePort();
        hub = HubInstance.start(HubInstance.Deployment.fresh(), HubInstance.newStateDir(), port);
        admin = new Http(hub.url(), TestTokens.admin());
        anonymous = new Http(hub.url(), null);
        Await.ready(admin);
        provider.registerClient("hub-client", "hub-secret", ClientAuth.BASIC, hub.url() + "/v1/oauth/callback");
        elsewhere.registerClient("hub-client", "hub-secret", ClientAuth.BASIC, hub.url() + "/v1/oauth/callback");
        assertEquals(
                201,
                admin.post("/v1/oauth/connections", """
                {"connection_name": "answers", "client_id": "hub-client", "client_secret": "hub-secret",
                 "authorization_url": "%s", "token_url": "%s", "scopes": ["read"]}""".formatted(provider.authorizationUrl(), provider.tokenUrl()))
                        .status());
        assertEquals(
                201,
                admin.post(
                                "/v1/integrations",
                                "{\"name\": \"Answers\", \"auth_scheme\": \"OAUTH2\", \"oauth_connection\": \"answers\"}")
                        .status());
    }

    @AfterAll
    static void stop() {
        hub.close();
        provider.close();
        elsewhere.close();
    }

    @Test
    void shouldRefuseATokenEndpointRedirectSendNothingOnAndStoreNothing() {
        String org = "org-redirect";
        Map<String, String> authorize = connect(org);
        String back = provider.authorize(authorize);
        provider.failNext(1, Fault.redirect(307, elsewhere.tokenUrl()));

        var callback = anonymous.get("/v1/oauth/callback?" + URI.create(back).getRawQuery());

        assertEquals(400, callback.status(), callback.toString());
        assertTrue(callback.json().get("detail").asText().contains("redirect_refused"), callback.body());
        assertEquals("no-store", callback.header("Cache-Control"));
        assertEquals(
                0,
                elsewhere.tokenCalls(),
                "the redirect target never got the code, the verifier or the client's secret");
        assertTrue(elsewhere.receivedVerifiers().isEmpty());
        assertStoredNothing(org);
        var again = anonymous.get("/v1/oauth/callback?" + URI.create(back).getRawQuery());
        assertEquals(400, again.status(), again.toString());
        assertTrue(
                again.json().get("detail").asText().contains("already used"), "the state is used up: " + again.body());
    }

    @Test
    void shouldUseUpTheStateWhenTheProviderAnswersAnError() {
        String org = "org-denied";
        Map<String, String> authorize = connect(org);
        String state = authorize.get("state");
        int calls = provider.tokenCalls();

        var denied = anonymous.get("/v1/oauth/callback?error=access_denied&state=" + encode(state));
        assertEquals(400, denied.status(), denied.toString());
        assertTrue(denied.json().get("detail").asText().contains("access_denied"), denied.body());
        assertEquals("no-store", denied.header("Cache-Control"));

        // The person authorizes after all, with the same state: refused, the provider is not called.
        String back = provider.authorize(authorize);
        var late = anonymous.get("/v1/oauth/callback?" + URI.create(back).getRawQuery());
        assertEquals(400, late.status(), late.toString());
        assertTrue(late.json().get("type").asText().endsWith("/invalid-state"), late.body());
        assertTrue(late.json().get("detail").asText().contains("already used"), late.body());
        assertEquals(calls, provider.tokenCalls(), "a used-up state never reaches the token endpoint");
        assertStoredNothing(org);
    }

    @Test
    void shouldRepeatOnlyRfc6749ErrorCodesFromTheCallback() {
        String org = "org-crafted";
        String state = connect(org).get("state");
        String crafted = "<script>alert('pwned')</script> call +1-555";

        var answer = anonymous.get("/v1/oauth/callback?error=" + encode(crafted) + "&state=" + encode(state));

        assertEquals(400, answer.status(), answer.toString());
        assertFalse(
                answer.body().contains("script") || answer.body().contains("555"),
                "provider text not echoed: " + answer.body());
        assertTrue(answer.json().get("detail").asText().contains("provider_error"), answer.body());
        assertStoredNothing(org);
    }

    @Test
    void shouldRepeatOnlyRfc6749ErrorCodesFromTheTokenEndpointAndUseUpTheState() {
        String org = "org-token-error";
        String back = provider.authorize(connect(org));
        provider.failNext(1, Fault.error(400, "your refresh token rt-secret-42 is bad"));

        var answer = anonymous.get("/v1/oauth/callback?" + URI.create(back).getRawQuery());

        assertEquals(400, answer.status(), answer.toString());
        assertFalse(answer.body().contains("rt-secret-42"), "provider text not echoed: " + answer.body());
        assertTrue(answer.json().get("detail").asText().contains("http_400"), answer.body());
        var again = anonymous.get("/v1/oauth/callback?" + URI.create(back).getRawQuery());
        assertTrue(again.json().get("detail").asText().contains("already used"), again.body());
        assertStoredNothing(org);

        String invalidGrant = provider.authorize(connect("org-invalid-grant"));
        provider.failNext(1, Fault.invalidGrant());
        var refused =
                anonymous.get("/v1/oauth/callback?" + URI.create(invalidGrant).getRawQuery());
        assertEquals(400, refused.status(), refused.toString());
        assertTrue(refused.json().get("detail").asText().contains("invalid_grant"), refused.body());
    }

    @Test
    void shouldMarkTheConnectedPageNoStore() {
        String back = provider.authorize(connect("org-connected"));
        var page = anonymous.get("/v1/oauth/callback?" + URI.create(back).getRawQuery());
        assertEquals(200, page.status(), page.toString());
        assertEquals("no-store", page.header("Cache-Control"));
        var unknown = anonymous.get("/v1/oauth/callback?code=x&state=made-up~answers");
        assertEquals(400, unknown.status(), unknown.toString());
        assertEquals("no-store", unknown.header("Cache-Control"));
    }

    @Test
    void shouldFillEntityIdAsOnePercentEncodedSegmentAndRefuseOneThatCouldLeaveIt() {
        assertEquals(
                201,
                admin.post("/v1/oauth/connections", """
                {"connection_name": "tenants", "client_id": "hub-client", "client_secret": "hub-secret",
                 "authorization_url": "%s", "token_url": "%s"}""".formatted(
                                        provider.url("/{entity_id}/authorize"), provider.url("/{entity_id}/token")))
                        .status());
        assertEquals(
                201,
                admin.post(
                                "/v1/integrations",
                                "{\"name\": \"Tenants\", \"auth_scheme\": \"OAUTH2\", \"oauth_connection\": \"tenants\"}")
                        .status());
        assertEquals(
                201,
                admin.put("/v1/integrations/Tenants/mappings/org-space", "{\"entity_id\": \"acme corp\"}")
                        .status());
        assertEquals(
                201,
                admin.put("/v1/integrations/Tenants/mappings/org-slash", "{\"entity_id\": \"../admin\"}")
                        .status());

        var connect = admin.as(TestTokens.org("org-space"))
                .post("/v1/orgs/org-space/integrations/Tenants/connect", "{\"auth_scheme\": \"OAUTH2\", \"data\": {}}");
        assertEquals(201, connect.status(), connect.toString());
        String redirect = connect.json().get("redirect_url").asText();
        assertTrue(redirect.startsWith(provider.url("/acme%20corp/authorize?")), redirect);
        var page = anonymous.get("/v1/oauth/callback?"
                + URI.create(provider.authorize(query(redirect))).getRawQuery());
        assertEquals(200, page.status(), page.toString());
        assertTrue(
                provider.paths().contains("/acme corp/token"), "one segment, %20 for the space: " + provider.paths());

        var slash = admin.as(TestTokens.org("org-slash"))
                .post("/v1/orgs/org-slash/integrations/Tenants/connect", "{\"auth_scheme\": \"OAUTH2\", \"data\": {}}");
        assertEquals(422, slash.status(), slash.toString());
        assertEquals("entity_id", slash.json().get("errors").get(0).get("field").asText(), slash.body());
        assertFalse(slash.body().contains("../admin"), "input not echoed: " + slash.body());
    }

    /** Starts the org's flow; the query of the provider authorize URL the hub handed out. */
    private static Map<String, String> connect(String org) {
        var connect = admin.as(TestTokens.org(org))
                .post(
                        "/v1/orgs/" + org + "/integrations/Answers/connect",
                        "{\"auth_scheme\": \"OAUTH2\", \"data\": {}}");
        assertEquals(201, connect.status(), connect.toString());
        return query(connect.json().get("redirect_url").asText());
    }

    private static void assertStoredNothing(String org) {
        var view = admin.as(TestTokens.org(org)).get("/v1/orgs/" + org + "/integrations/Answers");
        assertEquals("missing", view.json().get("oauth").get("status").asText(), "nothing stored: " + view.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
