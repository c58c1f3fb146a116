package com.integrationshub.query.contract;

import static com.integrationshub.query.contract.FieldAssert.assertIntegrationDataShape;
import static com.integrationshub.query.contract.FieldAssert.assertResource;
import static com.integrationshub.query.contract.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** "The org's view" section of API.md through HTTP against a real broker (the `oauth` member stays null). */
class OrgViewContractTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String SCHEMA = """
            [{"key": "base_url", "type": "string", "required": true},
             {"key": "api_key", "type": "secret", "required": false},
             {"key": "timeout", "type": "int", "required": false},
             {"key": "custom_field", "type": "string", "required": false},
             {"key": "options", "type": "json", "required": false},
             {"key": "verbose", "type": "bool", "required": false}]""";
    private static final String DEFAULTS = """
            {"config": {"base_url": "https://halo.example", "timeout": 30, "api_key": "default-key-1",
                        "options": {"a": 1}, "verbose": false}}""";

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
        if (hub != null) hub.close();
    }

    @Test
    void shouldOverlayTheOrgsOverridesOnTheDefaultsKeyByKey() {
        String name = integrationWithDefaults();
        String integrationId =
                admin.get("/v1/integrations/" + name).json().get("id").asText();
        assertResource(admin.put(mapping(name, "org-123"), """
                {"entity_id": "tenant-456", "entity_name": "Acme Corp",
                 "config": {"custom_field": "value", "timeout": 60, "api_key": "org-key-2", "options": [true]}}"""), 201);

        var reply = orgToken("org-123").get(view("org-123", name));

        JsonNode data = assertResource(reply, 200);
        assertIntegrationDataShape(data);
        assertEquals(integrationId, data.get("integration_id").asText(), "integration_id");
        assertEquals(name, data.get("name").asText(), "name");
        assertEquals("tenant-456", data.get("entity_id").asText(), "entity_id from the mapping");
        assertEquals("Acme Corp", data.get("entity_name").asText(), "entity_name from the mapping");
        assertEquals(
                FieldAssert.parse("""
                {"base_url": "https://halo.example", "timeout": 60, "api_key": "org-key-2", "options": [true],
                 "verbose": false, "custom_field": "value"}"""),
                data.get("config"),
                "defaults overlaid key by key by the overrides, secrets revealed");
        assertTrue(data.get("oauth").isNull(), "oauth is null without an OAuth connection, got " + data.get("oauth"));
    }

    @Test
    void shouldServeTheDefaultsWithANullEntityWhenTheOrgHasNoMapping() {
        String name = integrationWithDefaults();

        JsonNode data = assertResource(orgToken("org-unmapped").get(view("org-unmapped", name)), 200);

        assertIntegrationDataShape(data);
        assertTrue(data.get("entity_id").isNull(), "entity_id is null without a mapping, got " + data.get("entity_id"));
        assertTrue(
                data.get("entity_name").isNull(),
                "entity_name is null without a mapping, got " + data.get("entity_name"));
        assertEquals(
                FieldAssert.parse(DEFAULTS).get("config"),
                data.get("config"),
                "config is the defaults, secrets revealed");
        assertTrue(data.get("oauth").isNull(), "oauth is null");
    }

    @Test
    void shouldServeTheGlobalViewWithTheDefaultsAndSecretsRevealed() {
        String name = integrationWithDefaults();
        assertResource(admin.put(mapping(name, "org-g"), "{\"entity_id\": \"t\", \"config\": {\"timeout\": 1}}"), 201);

        var reply = admin.get("/v1/integrations/" + name + "/global");

        JsonNode data = assertResource(reply, 200);
        assertIntegrationDataShape(data);
        assertEquals(name, data.get("name").asText(), "name");
        assertTrue(
                data.get("entity_id").isNull() && data.get("entity_name").isNull(),
                "the global scope has no entity: " + data);
        assertEquals(
                FieldAssert.parse(DEFAULTS).get("config"),
                data.get("config"),
                "the global config is the defaults, revealed");
        assertTrue(data.get("oauth").isNull(), "oauth is null");
    }

    @Test
    void shouldAnswer404ForAnUnknownIntegration() {
        String missing = "Nowhere-" + SEQUENCE.incrementAndGet();
        assertProblem(orgToken("org-1").get(view("org-1", missing)), 404, "not-found");
        assertProblem(admin.get(view("org-1", missing)), 404, "not-found");
        assertProblem(admin.get("/v1/integrations/" + missing + "/global"), 404, "not-found");
    }

    @Test
    void shouldListOnlyTheIntegrationsMappedToTheOrg() {
        String first = integrationWithDefaults();
        String second = integrationWithDefaults();
        String unmapped = integrationWithDefaults();
        String org = "org-list-" + SEQUENCE.incrementAndGet();
        assertResource(admin.put(mapping(first, org), "{\"entity_id\": \"e-1\", \"config\": {\"timeout\": 11}}"), 201);
        assertResource(admin.put(mapping(second, org), "{\"entity_id\": \"e-2\"}"), 201);
        assertResource(admin.put(mapping(unmapped, "someone-else"), "{\"entity_id\": \"e-3\"}"), 201);

        var reply = orgToken(org).get("/v1/orgs/" + org + "/integrations");

        assertEquals(200, reply.status(), () -> "expected 200, got " + reply);
        JsonNode items = FieldAssert.json(reply);
        List<String> names = new ArrayList<>();
        items.forEach(i -> names.add(i.get("name").asText()));
        names.sort(null);
        assertEquals(List.of(first, second), names, "only the integrations mapped to " + org);
        for (JsonNode item : items) {
            assertIntegrationDataShape(item);
            assertEquals(
                    FieldAssert.json(
                            orgToken(org).get(view(org, item.get("name").asText()))),
                    item,
                    "a list item is the org's view of that integration");
        }
    }

    @Test
    void shouldListNothingForAnOrgWithoutMappings() {
        integrationWithDefaults();
        var reply = orgToken("org-empty").get("/v1/orgs/org-empty/integrations");
        assertEquals(200, reply.status(), () -> "expected 200, got " + reply);
        assertEquals(0, reply.json().size(), "an empty array, got " + reply.body());
    }

    @Test
    void shouldShowEachWriteInTheOrgViewRightAfterItAnswers() {
        String name = integrationWithDefaults();
        Http org = orgToken("org-ryw");
        long version = assertResource(org.get(view("org-ryw", name)), 200)
                .get("version")
                .asLong();

        assertResource(
                admin.put(mapping(name, "org-ryw"), "{\"entity_id\": \"t-1\", \"config\": {\"timeout\": 5}}"), 201);
        JsonNode mapped = assertResource(org.get(view("org-ryw", name)), 200);
        assertEquals("t-1", mapped.get("entity_id").asText(), "the upsert shows at once");
        assertEquals(5, mapped.get("config").get("timeout").asInt(), "the override shows at once");
        version = assertGrew(version, mapped);

        assertResource(
                admin.put(
                        "/v1/integrations/" + name + "/defaults",
                        "{\"config\": {\"base_url\": \"https://moved.example\", \"timeout\": 99}}"),
                200);
        JsonNode redefaulted = assertResource(org.get(view("org-ryw", name)), 200);
        assertEquals(
                "https://moved.example",
                redefaulted.get("config").get("base_url").asText(),
                "a defaults change reaches the org");
        assertEquals(5, redefaulted.get("config").get("timeout").asInt(), "the org's override still wins");
        assertTrue(
                !redefaulted.get("config").has("api_key"),
                "the replaced defaults no longer have api_key: " + redefaulted);
        version = assertGrew(version, redefaulted);

        assertResource(admin.patch("/v1/integrations/" + name, "{\"description\": \"changed\"}"), 200);
        version = assertGrew(version, assertResource(org.get(view("org-ryw", name)), 200));

        assertEquals(204, admin.delete(mapping(name, "org-ryw")).status(), "mapping delete");
        JsonNode unmapped = assertResource(org.get(view("org-ryw", name)), 200);
        assertTrue(unmapped.get("entity_id").isNull(), "after the mapping's delete the entity is null: " + unmapped);
        assertEquals(
                99, unmapped.get("config").get("timeout").asInt(), "after the mapping's delete config is the defaults");

        assertEquals(204, admin.delete("/v1/integrations/" + name).status(), "integration delete");
        assertProblem(org.get(view("org-ryw", name)), 404, "not-found");
    }

    // ---- fixtures ----

    private static long assertGrew(long before, JsonNode data) {
        long now = data.get("version").asLong();
        assertTrue(now > before, "the org view's version grows with each change: was " + before + ", now " + now);
        return now;
    }

    private static String integrationWithDefaults() {
        String name = "View-" + SEQUENCE.incrementAndGet();
        assertResource(
                admin.post(
                        "/v1/integrations",
                        "{\"name\": \"%s\", \"auth_scheme\": \"API_KEY\", \"config_schema\": %s}"
                                .formatted(name, SCHEMA)),
                201);
        assertResource(admin.put("/v1/integrations/" + name + "/defaults", DEFAULTS), 200);
        return name;
    }

    private static Http orgToken(String org) {
        return admin.as(TestTokens.org(org));
    }

    private static String view(String org, String name) {
        return "/v1/orgs/" + org + "/integrations/" + name;
    }

    private static String mapping(String name, String org) {
        return "/v1/integrations/" + name + "/mappings/" + org;
    }
}
