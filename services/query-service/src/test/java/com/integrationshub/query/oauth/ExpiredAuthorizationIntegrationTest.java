package com.integrationshub.query.oauth;

import static com.integrationshub.testkit.QueryStrings.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A callback after the authorization expired is refused with 400 and stores nothing. */
class ExpiredAuthorizationIntegrationTest {

    @Test
    void shouldRefuseACallbackWhoseAuthorizationExpiredAndStoreNothing() {
        int port = HubInstance.freePort();
        try (OAuthProviderStandIn provider = OAuthProviderStandIn.start();
                HubInstance hub = HubInstance.start(
                        HubInstance.Deployment.fresh(Map.of("hub.oauth.authorization-ttl", "1s")),
                        HubInstance.newStateDir(),
                        port)) {
            Http admin = new Http(hub.url(), TestTokens.admin());
            Await.ready(admin);
            provider.registerClient("c", "c-secret", ClientAuth.BASIC, hub.url() + "/v1/oauth/callback");
            assertEquals(
                    201,
                    admin.post("/v1/oauth/connections", """
                    {"connection_name": "late", "client_id": "c", "client_secret": "c-secret",
                     "authorization_url": "%s", "token_url": "%s"}""".formatted(provider.authorizationUrl(), provider.tokenUrl()))
                            .status());
            assertEquals(
                    201,
                    admin.post(
                                    "/v1/integrations",
                                    "{\"name\": \"Late\", \"auth_scheme\": \"OAUTH2\", \"oauth_connection\": \"late\"}")
                            .status());
            var connect = admin.post("/v1/oauth/connections/late/connect", "");
            assertEquals(201, connect.status(), connect.toString());
            String back =
                    provider.authorize(query(connect.json().get("redirect_url").asText()));
            int calls = provider.tokenCalls();

            Instant expired = Instant.now().plusSeconds(2);
            Await.until(
                    Duration.ofSeconds(5), Instant::now, now -> now.isAfter(expired), "the authorization to expire");
            var callback = new Http(hub.url(), null)
                    .get("/v1/oauth/callback?" + URI.create(back).getRawQuery());

            assertEquals(400, callback.status(), callback.toString());
            assertTrue(callback.json().get("detail").asText().contains("expired"), callback.body());
            assertEquals(calls, provider.tokenCalls(), "an expired flow does not reach the provider");
            var global = admin.get("/v1/integrations/Late/global");
            assertEquals(
                    "missing", global.json().get("oauth").get("status").asText(), "nothing stored: " + global.body());
        }
    }
}
