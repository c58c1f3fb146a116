package com.integrationshub.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IntegrationLifecycleIntegrationTest {

    private static HubInstance hub;
    private static Http admin;

    @BeforeAll
    static void start() {
        hub = HubInstance.start(HubInstance.Deployment.fresh());
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void shouldCreateMapAndServeTheMergedOrgView() {
        var created = admin.post("/v1/integrations", """
                {"name": "HaloPSA", "description": "HaloPSA ticketing", "auth_scheme": "API_KEY",
                 "entity_id_name": "Tenant ID",
                 "config_schema": [{"key": "base_url", "type": "string", "required": true},
                                   {"key": "api_key", "type": "secret", "required": false},
                                   {"key": "timeout", "type": "int", "required": false}],
                 "credential_headers": {"Authorization": "Bearer {api_key}"}}""");
        assertEquals(201, created.status(), created.toString());
        assertEquals("\"1\"", created.etag());
        assertEquals("HaloPSA", created.json().get("name").asText());

        var defaults = admin.put(
                "/v1/integrations/HaloPSA/defaults",
                "{\"config\": {\"base_url\": \"https://halo.example\", \"timeout\": 30, \"api_key\": \"sk_default\"}}");
        assertEquals(200, defaults.status(), defaults.toString());
        assertEquals("***", defaults.json().get("defaults").get("api_key").asText());

        var mapping = admin.put(
                "/v1/integrations/HaloPSA/mappings/org-123",
                "{\"entity_id\": \"tenant-456\", \"entity_name\": \"Acme Corp\", \"config\": {\"timeout\": 60}}");
        assertEquals(201, mapping.status(), mapping.toString());

        var view = new Http(hub.url(), TestTokens.org("org-123")).get("/v1/orgs/org-123/integrations/HaloPSA");
        assertEquals(200, view.status(), view.toString());
        assertEquals("tenant-456", view.json().get("entity_id").asText());
        assertEquals(60, view.json().get("config").get("timeout").asInt());
        assertEquals(
                "https://halo.example",
                view.json().get("config").get("base_url").asText());
        assertEquals("sk_default", view.json().get("config").get("api_key").asText());
        assertTrue(view.json().get("oauth").isNull());

        var history = admin.get("/v1/integrations/HaloPSA/history");
        assertEquals(200, history.status(), history.toString());
        assertEquals(3, history.json().size(), history.body());
        assertTrue(!history.body().contains("sk_default"), history.body());
    }

    @Test
    void shouldAnswerProblemsThatNameWhatIsMissing() {
        var missing = admin.get("/v1/integrations/NoSuchThing");
        assertEquals(404, missing.status(), missing.toString());
        assertEquals("application/problem+json", missing.contentType());
        assertTrue(missing.json().get("detail").asText().contains("NoSuchThing"), missing.body());

        var noRoute = admin.get("/v1/nowhere");
        assertEquals(404, noRoute.status(), noRoute.toString());
        assertEquals("application/problem+json", noRoute.contentType());

        var wrongMethod = admin.send("PATCH", "/v1/integrations/x/history", "{}", java.util.Map.of());
        assertEquals(405, wrongMethod.status(), wrongMethod.toString());
        assertEquals("application/problem+json", wrongMethod.contentType());
    }
}
