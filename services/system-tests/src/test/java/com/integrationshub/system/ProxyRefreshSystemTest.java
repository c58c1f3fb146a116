package com.integrationshub.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import com.integrationshub.testkit.upstream.UpstreamStandIn;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proxy's 401 → refresh → retry (API.md, "Calling the provider through the hub") with the real refresher: the
 * provider drops an access token refreshed a moment ago; the proxy refreshes once although the token is within
 * hub.refresher.min-interval, and sends the request again, body included, with the new token.
 */
class ProxyRefreshSystemTest {

    private static OAuthProviderStandIn provider;
    private static UpstreamStandIn upstream;
    private static Hub hub;
    private static OAuthJourney journey;

    @BeforeAll
    static void start() {
        provider = OAuthProviderStandIn.start();
        upstream = UpstreamStandIn.start();
        hub = Hub.start(Map.of(), Map.of("HUB_REFRESHER_MIN_INTERVAL", "30s"));
        journey = new OAuthJourney(hub, provider);
        journey.defineIntegration("Proxied", "proxied", ClientAuth.BASIC);
        Http admin = new Http(hub.url(), TestTokens.admin());
        assertEquals(
                200,
                admin.patch(
                                "/v1/integrations/Proxied",
                                "{\"config_schema\": [{\"key\": \"base_url\", \"type\": \"string\"}]}")
                        .status());
        assertEquals(
                200,
                admin.put(
                                "/v1/integrations/Proxied/defaults",
                                "{\"config\": {\"base_url\": \"" + upstream.url() + "/api\"}}")
                        .status());
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
        if (upstream != null) upstream.close();
        if (provider != null) provider.close();
    }

    @Test
    void shouldRefreshOnceAndRetryWhenTheProviderRefusesTheAccessToken() {
        provider.setExpiresIn(Duration.ofHours(1));
        journey.connect("Proxied", "org-x");
        assertEquals(200, journey.refresh("Proxied", "org-x").status(), "refreshed a moment ago");
        upstream.demand("authorization", v -> v.startsWith("Bearer ") && provider.accessTokenValid(v.substring(7)));
        Http org = new Http(hub.url(), TestTokens.org("org-x"));
        String current = "Bearer "
                + journey.oauth("Proxied", "org-x").get("access_token").asText();
        upstream.refuseOnce(current);
        int refreshes = provider.tokenCalls(OAuthProviderStandIn.REFRESH_TOKEN);
        upstream.clear();

        var answer = org.post("/v1/orgs/org-x/integrations/Proxied/proxy/notes?x=1", "{\"n\": 1}");

        assertEquals(200, answer.status(), answer.toString());
        assertEquals("{\"n\": 1}", answer.body());
        var calls = upstream.received();
        assertEquals(2, calls.size(), "the refused call and one retry");
        assertEquals(current, calls.get(0).header("authorization"));
        assertNotEquals(current, calls.get(1).header("authorization"), "the retry carries the new token");
        assertEquals("{\"n\": 1}", calls.get(1).bodyText(), "the body is sent again");
        assertEquals("x=1", calls.get(1).rawQuery());
        assertEquals(
                refreshes + 1,
                provider.tokenCalls(OAuthProviderStandIn.REFRESH_TOKEN),
                "one refresh, despite the minimum interval");
    }

    @Test
    void shouldRenderTheCredentialHeadersFromTheRefreshedTokenOnTheRetry() {
        journey.defineIntegration("ProxiedHeaders", "proxied-headers", ClientAuth.BASIC);
        Http admin = new Http(hub.url(), TestTokens.admin());
        var patched = admin.patch("/v1/integrations/ProxiedHeaders", """
                {"config_schema": [{"key": "base_url", "type": "string"}],
                 "credential_headers": {"X-Access-Token": "at={access_token}"}}""");
        assertEquals(200, patched.status(), patched.toString());
        assertEquals(
                200,
                admin.put(
                                "/v1/integrations/ProxiedHeaders/defaults",
                                "{\"config\": {\"base_url\": \"" + upstream.url() + "/api\"}}")
                        .status());
        provider.setExpiresIn(Duration.ofHours(1));
        journey.connect("ProxiedHeaders", "org-y");
        assertEquals(200, journey.refresh("ProxiedHeaders", "org-y").status(), "refreshed a moment ago");
        upstream.demand("x-access-token", v -> v.startsWith("at=") && provider.accessTokenValid(v.substring(3)));
        String current = "at="
                + journey.oauth("ProxiedHeaders", "org-y").get("access_token").asText();
        upstream.refuseOnce(current);
        int refreshes = provider.tokenCalls(OAuthProviderStandIn.REFRESH_TOKEN);
        upstream.clear();

        var answer = new Http(hub.url(), TestTokens.org("org-y"))
                .send("PUT", "/v1/orgs/org-y/integrations/ProxiedHeaders/proxy/notes/3", "{\"n\": 3}", Map.of());

        assertEquals(200, answer.status(), answer.toString());
        assertEquals("{\"n\": 3}", answer.body());
        var calls = upstream.received();
        assertEquals(2, calls.size(), "the refused call and one retry");
        assertEquals(current, calls.get(0).header("x-access-token"));
        String retried = calls.get(1).header("x-access-token");
        assertNotEquals(current, retried, "the template is rendered again with the new token");
        assertEquals(
                "at="
                        + journey.oauth("ProxiedHeaders", "org-y")
                                .get("access_token")
                                .asText(),
                retried,
                "the token the hub now holds");
        assertEquals(null, calls.get(1).header("authorization"), "no bearer header besides the template");
        assertEquals("PUT", calls.get(1).method());
        assertEquals("{\"n\": 3}", calls.get(1).bodyText(), "the body is sent again");
        assertEquals(refreshes + 1, provider.tokenCalls(OAuthProviderStandIn.REFRESH_TOKEN), "one refresh");
    }
}
