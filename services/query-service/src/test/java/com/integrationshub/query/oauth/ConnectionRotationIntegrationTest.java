package com.integrationshub.query.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** A connection's refresh_token_rotation and refresh_token_grace through the HTTP API and the real broker. */
class ConnectionRotationIntegrationTest {

    private static final String BASE = """
            "client_id": "c", "client_secret": "s",
            "authorization_url": "https://provider.example/authorize", "token_url": "https://provider.example/token\"""";

    private static HubInstance hub;
    private static Http admin;

    @BeforeAll
    static void start() {
        hub = HubInstance.start(
                HubInstance.Deployment.fresh(Map.of()), HubInstance.newStateDir(), HubInstance.freePort());
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void shouldShowAConnectionWithoutTheSettingAsStrict() {
        var created = admin.post("/v1/oauth/connections", "{\"connection_name\": \"plain\", " + BASE + "}");

        assertEquals(201, created.status(), created.toString());
        assertEquals("strict", created.json().get("refresh_token_rotation").asText());
        assertTrue(created.json().get("refresh_token_grace").isNull(), created.body());
    }

    @Test
    void shouldKeepAGraceConnectionWithTheDefaultGraceAndChangeItByPatch() {
        var created = admin.post(
                "/v1/oauth/connections",
                "{\"connection_name\": \"graceful\", \"refresh_token_rotation\": \"grace\", " + BASE + "}");
        assertEquals(201, created.status(), created.toString());
        assertEquals("grace", created.json().get("refresh_token_rotation").asText());
        assertEquals(60, created.json().get("refresh_token_grace").asLong());

        var longer = admin.patch("/v1/oauth/connections/graceful", "{\"refresh_token_grace\": 300}");
        assertEquals(200, longer.status(), longer.toString());
        assertEquals(300, longer.json().get("refresh_token_grace").asLong());

        var none = admin.patch("/v1/oauth/connections/graceful", "{\"refresh_token_rotation\": \"none\"}");
        assertEquals(200, none.status(), none.toString());
        var read = admin.get("/v1/oauth/connections/graceful");
        assertEquals("none", read.json().get("refresh_token_rotation").asText(), read.body());
        assertTrue(read.json().get("refresh_token_grace").isNull(), read.body());
    }

    @Test
    void shouldRefuseAnUnknownRotationOrABadGraceNamingTheField() {
        assertRefused(
                "{\"connection_name\": \"bad1\", \"refresh_token_rotation\": \"sometimes\", " + BASE + "}",
                "refresh_token_rotation");
        assertRefused(
                "{\"connection_name\": \"bad2\", \"refresh_token_rotation\": \"grace\", \"refresh_token_grace\": -1, "
                        + BASE + "}",
                "refresh_token_grace");
        assertRefused(
                "{\"connection_name\": \"bad3\", \"refresh_token_rotation\": \"strict\", \"refresh_token_grace\": 30, "
                        + BASE + "}",
                "refresh_token_grace");
        assertRefused(
                "{\"connection_name\": \"bad4\", \"refresh_token_rotation\": \"grace\", \"refresh_token_grace\": \"1m\", "
                        + BASE + "}",
                "refresh_token_grace");
        var created = admin.post("/v1/oauth/connections", "{\"connection_name\": \"strict1\", " + BASE + "}");
        assertEquals(201, created.status(), created.toString());
        var patch = admin.patch("/v1/oauth/connections/strict1", "{\"refresh_token_grace\": 30}");
        assertEquals(422, patch.status(), patch.toString());
        assertEquals(List.of("refresh_token_grace"), fields(patch.json()));
        assertEquals(404, admin.get("/v1/oauth/connections/bad1").status());
    }

    private static void assertRefused(String body, String field) {
        var reply = admin.post("/v1/oauth/connections", body);
        assertEquals(422, reply.status(), reply.toString());
        assertEquals(List.of(field), fields(reply.json()), reply.body());
        assertFalse(
                reply.body().contains("sometimes") || reply.body().contains("1m\""),
                "input not echoed: " + reply.body());
    }

    private static List<String> fields(JsonNode problem) {
        List<String> out = new ArrayList<>();
        problem.get("errors").forEach(e -> out.add(e.get("field").asText()));
        return out;
    }
}
