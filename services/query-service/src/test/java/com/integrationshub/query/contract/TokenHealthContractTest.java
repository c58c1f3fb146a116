package com.integrationshub.query.contract;

import static com.integrationshub.query.contract.ProblemAssert.assertProblem;
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
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /v1/oauth/connections/{name}/tokens (the console's token health): counts by status and every token of the
 * connection, soonest expiry first, with no token value in it; admin only. Real broker, the test kit's provider.
 */
class TokenHealthContractTest {

    private static OAuthProviderStandIn provider;
    private static HubInstance hub;
    private static Http admin;

    @BeforeAll
    static void start() {
        provider = OAuthProviderStandIn.start();
        hub = HubInstance.start(HubInstance.Deployment.fresh());
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
        if (provider != null) provider.close();
    }

    @Test
    void shouldCountAndListEveryTokenOfTheConnectionWithoutTheirValues() {
        provider.registerClient("svc", "svc-secret", ClientAuth.POST);
        assertEquals(
                201,
                admin.post("/v1/oauth/connections", """
                {"connection_name": "graph", "grant_type": "client_credentials", "client_id": "svc",
                 "client_secret": "svc-secret", "client_auth_method": "client_secret_post",
                 "token_url": "%s", "scopes": ["all"]}""".formatted(provider.tokenUrl()))
                        .status());
        assertEquals(201, admin.post("/v1/integrations", """
                {"name": "Graph", "auth_scheme": "OAUTH2", "oauth_connection": "graph", "config_schema": []}""").status());
        assertEquals(
                201,
                admin.put("/v1/integrations/Graph/mappings/org-a", "{\"entity_id\": \"tenant-a\"}")
                        .status());

        Http.Reply empty = admin.get("/v1/oauth/connections/graph/tokens");
        assertEquals(200, empty.status(), empty.toString());
        assertEquals(0, empty.json().path("tokens").size());
        assertEquals(0, empty.json().path("counts").path("active").asInt(-1));

        assertEquals(201, admin.post("/v1/oauth/connections/graph/connect", "").status());
        provider.setExpiresIn(Duration.ofSeconds(1));
        Http.Reply orgConnect =
                admin.post("/v1/orgs/org-a/integrations/Graph/connect", "{\"auth_scheme\": \"OAUTH2\", \"data\": {}}");
        assertEquals(201, orgConnect.status(), orgConnect.toString());

        JsonNode health = Await.until(
                        Duration.ofSeconds(30),
                        () -> admin.get("/v1/oauth/connections/graph/tokens"),
                        r -> r.status() == 200
                                && r.json().path("tokens").size() == 2
                                && r.json().path("counts").path("expired").asInt() == 1,
                        "both tokens listed and the org's expired")
                .json();
        assertEquals(1, health.path("counts").path("active").asInt(), health.toString());
        assertEquals(0, health.path("counts").path("needs_reauth").asInt(), health.toString());
        JsonNode first = health.path("tokens").get(0);
        assertEquals("graph/org-a", first.path("token_id").asText(), "soonest expiry first: " + health);
        assertEquals("org-a", first.path("org_id").asText());
        assertEquals("expired", first.path("status").asText());
        JsonNode global = health.path("tokens").get(1);
        assertTrue(global.path("org_id").isNull(), health.toString());
        assertEquals("active", global.path("status").asText());
        assertFalse(global.path("expires_at").asText().isEmpty());

        String body = health.toString();
        assertFalse(body.contains("access_token") || body.contains("refresh_token"), body);
        assertEquals(2, provider.issuedAccessTokens().size());
        for (var issued : provider.issuedAccessTokens()) {
            assertFalse(body.contains(issued.value()), "a token value in the health: " + body);
        }
    }

    @Test
    void shouldAnswer404ForAnUnknownConnectionAndRefuseOrgTokens() {
        assertProblem(admin.get("/v1/oauth/connections/nobody/tokens"), 404, "not-found");
        assertProblem(admin.as(TestTokens.org("org-a")).get("/v1/oauth/connections/graph/tokens"), 403, "forbidden");
        assertEquals(422, admin.get("/v1/oauth/connections/bad%20name/tokens").status());
    }
}
