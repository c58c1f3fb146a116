package com.integrationshub.query.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With the production defaults, connections cannot point the hub at http, loopback, private or link-local URLs. */
class OutboundGuardIntegrationTest {

    private static HubInstance hub;
    private static Http admin;

    @BeforeAll
    static void start() {
        hub = HubInstance.start(
                HubInstance.Deployment.fresh(
                        Map.of("hub.oauth.allow-insecure-http", false, "hub.oauth.allow-loopback", false)),
                HubInstance.newStateDir(),
                HubInstance.freePort());
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void shouldRefuseAConnectionWithAnInsecureOrInternalProviderUrlNamingTheField() {
        assertRefused("http://provider.example/token", "https://provider.example/authorize", "token_url", "https");
        assertRefused("https://127.0.0.1:8443/token", "https://provider.example/authorize", "token_url", "loopback");
        assertRefused(
                "https://10.1.2.3/{entity_id}/token", "https://provider.example/authorize", "token_url", "private");
        assertRefused(
                "https://provider.example/token", "https://169.254.169.254/latest", "authorization_url", "link-local");
        assertRefused("https://provider.example/token", "https://[::1]/authorize", "authorization_url", "loopback");
        var none = admin.get("/v1/oauth/connections");
        assertEquals(0, none.json().size(), "nothing created: " + none.body());
    }

    @Test
    void shouldRefuseAnUpdateToAnInternalProviderUrlAndKeepTheConnection() {
        var created = admin.post("/v1/oauth/connections", """
                {"connection_name": "guarded", "client_id": "c", "client_secret": "s",
                 "authorization_url": "https://provider.example/authorize", "token_url": "https://provider.example/token"}""");
        assertEquals(201, created.status(), created.toString());
        try {
            var patch = admin.patch("/v1/oauth/connections/guarded", "{\"token_url\": \"https://[fe80::1]/token\"}");
            assertEquals(422, patch.status(), patch.toString());
            assertEquals(List.of("token_url"), fields(patch.json()));
            var insecure = admin.patch(
                    "/v1/oauth/connections/guarded", "{\"authorization_url\": \"http://provider.example/a\"}");
            assertEquals(422, insecure.status(), insecure.toString());
            assertEquals(List.of("authorization_url"), fields(insecure.json()));
            var kept = admin.get("/v1/oauth/connections/guarded");
            assertEquals(
                    "https://provider.example/token",
                    kept.json().get("token_url").asText(),
                    kept.body());
            assertEquals(
                    200,
                    admin.patch("/v1/oauth/connections/guarded", "{\"token_url\": \"https://other.example/token\"}")
                            .status());
        } finally {
            admin.delete("/v1/oauth/connections/guarded");
        }
    }

    private static void assertRefused(String tokenUrl, String authorizationUrl, String field, String why) {
        var reply = admin.post("/v1/oauth/connections", """
                {"connection_name": "refused", "client_id": "c", "client_secret": "s",
                 "authorization_url": "%s", "token_url": "%s"}""".formatted(authorizationUrl, tokenUrl));
        assertEquals(422, reply.status(), reply.toString());
        assertEquals(List.of(field), fields(reply.json()), reply.body());
        assertTrue(reply.json().get("errors").get(0).get("message").asText().contains(why), reply.body());
        assertTrue(
                !reply.body().contains("169.254") && !reply.body().contains("10.1.2.3"),
                "input not echoed: " + reply.body());
    }

    private static List<String> fields(JsonNode problem) {
        List<String> out = new ArrayList<>();
        problem.get("errors").forEach(e -> out.add(e.get("field").asText()));
        return out;
    }
}
