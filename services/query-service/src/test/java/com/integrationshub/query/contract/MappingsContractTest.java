package com.integrationshub.query.contract;

import static com.integrationshub.query.contract.FieldAssert.assertMappingShape;
import static com.integrationshub.query.contract.FieldAssert.assertResource;
import static com.integrationshub.query.contract.ProblemAssert.assertInvalidFields;
import static com.integrationshub.query.contract.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Mappings section of API.md through HTTP against a real broker. */
class MappingsContractTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String SCHEMA = """
            [{"key": "base_url", "type": "string", "required": true},
             {"key": "api_key", "type": "secret", "required": false},
             {"key": "timeout", "type": "int", "required": false},
             {"key": "custom_field", "type": "string", "required": false}]""";

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
    void shouldCreateAMappingWith201AndEveryDocumentedField() {
        String name = integration();
        JsonNode integration = admin.get("/v1/integrations/" + name).json();

        var created = admin.put(path(name, "org-123"), """
                {"entity_id": "tenant-456", "entity_name": "Acme Corp", "config": {"custom_field": "value"},
                 "oauth_token_id": null}""");

        JsonNode body = assertResource(created, 201);
        assertMappingShape(body);
        assertEquals(
                integration.get("id").asText(),
                body.get("integration_id").asText(),
                "integration_id is the integration's id");
        assertEquals("org-123", body.get("organization_id").asText(), "organization_id");
        assertEquals("tenant-456", body.get("entity_id").asText(), "entity_id");
        assertEquals("Acme Corp", body.get("entity_name").asText(), "entity_name");
        assertTrue(
                body.get("oauth_token_id").isNull(), "oauth_token_id null as sent, got " + body.get("oauth_token_id"));
        assertEquals(
                FieldAssert.parse("{\"custom_field\": \"value\"}"),
                body.get("config"),
                "config holds the overrides only");
        assertEquals(1, body.get("version").asLong(), "version of a new mapping");
        assertEquals("\"1\"", created.etag(), "ETag of a new mapping");
        assertEquals(body.get("created_at"), body.get("updated_at"), "a new mapping was updated when created");
        assertEquals(body, FieldAssert.json(admin.get(path(name, "org-123"))), "a GET right after the PUT shows it");
    }

    @Test
    void shouldAnswer200OnASecondUpsertKeepingIdAndCreatedAt() {
        String name = integration();
        JsonNode first = assertResource(
                admin.put(path(name, "org-up"), "{\"entity_id\": \"t-1\", \"entity_name\": \"One\"}"), 201);

        var again = admin.put(
                path(name, "org-up"),
                "{\"entity_id\": \"t-2\", \"entity_name\": \"Two\", \"config\": {\"timeout\": 9}}");

        JsonNode second = assertResource(again, 200);
        assertMappingShape(second);
        assertEquals("\"2\"", again.etag(), "ETag after the second upsert");
        assertEquals(2, second.get("version").asLong(), "version after the second upsert");
        assertEquals(first.get("id"), second.get("id"), "the mapping keeps its id");
        assertEquals(first.get("created_at"), second.get("created_at"), "the mapping keeps created_at");
        assertFalse(
                Instant.parse(second.get("updated_at").asText())
                        .isBefore(Instant.parse(first.get("updated_at").asText())),
                "updated_at moves forward");
        assertEquals("t-2", second.get("entity_id").asText(), "entity_id replaced");
        assertEquals("Two", second.get("entity_name").asText(), "entity_name replaced");
        assertEquals(
                second, FieldAssert.json(admin.get(path(name, "org-up"))), "a GET right after the second PUT shows it");
    }

    @Test
    void shouldReplaceTheOverridesOnUpsertRatherThanMergeThem() {
        String name = integration();
        assertResource(
                admin.put(
                        path(name, "org-rep"),
                        "{\"entity_id\": \"t\", \"config\": {\"timeout\": 1, \"custom_field\": \"a\"}}"),
                201);

        JsonNode second = assertResource(
                admin.put(path(name, "org-rep"), "{\"entity_id\": \"t\", \"config\": {\"timeout\": 2}}"), 200);

        assertEquals(
                FieldAssert.parse("{\"timeout\": 2}"),
                second.get("config"),
                "the second PUT's overrides replace the first's");
        JsonNode view = admin.get("/v1/orgs/org-rep/integrations/" + name).json();
        assertFalse(view.get("config").has("custom_field"), "the org view no longer has the dropped override: " + view);
    }

    @Test
    void shouldCarryTheOauthTokenId() {
        String name = integration();
        JsonNode body = assertResource(
                admin.put(path(name, "org-tok"), "{\"entity_id\": \"t\", \"oauth_token_id\": \"token-77\"}"), 201);
        assertEquals("token-77", body.get("oauth_token_id").asText(), "oauth_token_id as sent");
        assertEquals(
                "token-77",
                admin.get(path(name, "org-tok")).json().get("oauth_token_id").asText(),
                "oauth_token_id read back");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{\"entity_id\": null}",
                "{\"entity_id\": \"\"}",
                "{\"entity_id\": 5}",
                "{\"entity_name\": \"no id\", \"config\": {}}"
            })
    void shouldRequireAnEntityId(String body) {
        String name = integration();
        assertInvalidFields(admin.put(path(name, "org-noid"), body), "entity_id");
        assertProblem(admin.get(path(name, "org-noid")), 404, "not-found");
    }

    @Test
    void shouldCheckOverridesAgainstTheSchemaLikeDefaults() {
        String name = integration();
        assertInvalidFields(
                admin.put(path(name, "org-bad"), "{\"entity_id\": \"t\", \"config\": {\"nope\": 1}}"), "config.nope");
        assertInvalidFields(
                admin.put(path(name, "org-bad"), "{\"entity_id\": \"t\", \"config\": {\"timeout\": \"soon\"}}"),
                "config.timeout");
        assertInvalidFields(
                admin.put(path(name, "org-bad"), "{\"entity_id\": \"t\", \"config\": {\"api_key\": 12}}"),
                "config.api_key");
        assertInvalidFields(admin.put(path(name, "org-bad"), "{\"entity_id\": \"t\", \"config\": [1]}"), "config");
        assertProblem(admin.get(path(name, "org-bad")), 404, "not-found");
    }

    @Test
    void shouldMaskSecretOverridesInTheMappingAndTheList() {
        String name = integration();
        var put = admin.put(
                path(name, "org-sec"), "{\"entity_id\": \"t\", \"config\": {\"api_key\": \"mapping-secret-9\"}}");
        var get = admin.get(path(name, "org-sec"));
        var list = admin.get("/v1/integrations/" + name + "/mappings");

        assertEquals(
                "***",
                assertResource(put, 201).get("config").get("api_key").asText(),
                "secret override masked in the PUT answer");
        assertEquals(
                "***", assertResource(get, 200).get("config").get("api_key").asText(), "secret override masked in GET");
        assertEquals(
                "***", list.json().get(0).get("config").get("api_key").asText(), "secret override masked in the list");
        for (var reply : List.of(put, get, list)) {
            assertFalse(reply.body().contains("mapping-secret-9"), "no secret in clear: " + reply.body());
        }
        assertEquals(
                "mapping-secret-9",
                admin.get("/v1/orgs/org-sec/integrations/" + name)
                        .json()
                        .get("config")
                        .get("api_key")
                        .asText(),
                "the org view reveals the override");
    }

    @Test
    void shouldListTheMappingsOfAnIntegrationAndFilterThemByEntityId() {
        String name = integration();
        String other = integration();
        assertResource(admin.put(path(name, "org-l1"), "{\"entity_id\": \"tenant-a\"}"), 201);
        assertResource(admin.put(path(name, "org-l2"), "{\"entity_id\": \"tenant-b\"}"), 201);
        assertResource(admin.put(path(name, "org-l3"), "{\"entity_id\": \"tenant-a\"}"), 201);
        assertResource(admin.put(path(other, "org-l4"), "{\"entity_id\": \"tenant-a\"}"), 201);

        var all = admin.get("/v1/integrations/" + name + "/mappings");
        var byEntity = admin.get("/v1/integrations/" + name + "/mappings?entity_id=tenant-a");
        var none = admin.get("/v1/integrations/" + name + "/mappings?entity_id=tenant-z");

        assertEquals(
                List.of("org-l1", "org-l2", "org-l3"), orgs(all), "every mapping of the integration, none of another");
        all.json().forEach(FieldAssert::assertMappingShape);
        for (JsonNode item : all.json()) {
            assertEquals(
                    admin.get(path(name, item.get("organization_id").asText())).json(),
                    item,
                    "list item = GET of the mapping");
        }
        assertEquals(List.of("org-l1", "org-l3"), orgs(byEntity), "the mappings of entity tenant-a");
        assertEquals(List.of(), orgs(none), "no mapping has entity tenant-z");
    }

    @Test
    void shouldListNoMappingsOfAnIntegrationWithoutAny() {
        var list = admin.get("/v1/integrations/" + integration() + "/mappings");
        assertEquals(200, list.status(), () -> "expected 200, got " + list);
        assertEquals(0, list.json().size(), "an empty array, got " + list.body());
    }

    @Test
    void shouldAnswer404ForAnUnknownMappingOrIntegration() {
        String name = integration();
        String missing = "Missing-" + SEQUENCE.incrementAndGet();
        assertProblem(admin.get(path(name, "org-none")), 404, "not-found");
        assertProblem(admin.delete(path(name, "org-none")), 404, "not-found");
        assertProblem(admin.get(path(missing, "org-none")), 404, "not-found");
        assertProblem(admin.get("/v1/integrations/" + missing + "/mappings"), 404, "not-found");
        assertProblem(admin.put(path(missing, "org-none"), "{\"entity_id\": \"t\"}"), 404, "not-found");
        assertProblem(admin.delete(path(missing, "org-none")), 404, "not-found");
    }

    @Test
    void shouldDeleteAMappingWith204ThenAnswer404() {
        String name = integration();
        assertResource(admin.put(path(name, "org-del"), "{\"entity_id\": \"t\"}"), 201);

        var deleted = admin.delete(path(name, "org-del"));

        assertEquals(204, deleted.status(), () -> "expected 204, got " + deleted);
        assertProblem(admin.get(path(name, "org-del")), 404, "not-found");
        assertEquals(List.of(), orgs(admin.get("/v1/integrations/" + name + "/mappings")), "the list no longer has it");
        assertTrue(
                admin.get("/v1/orgs/org-del/integrations/" + name)
                        .json()
                        .get("entity_id")
                        .isNull(),
                "the org view falls back to no entity");
        assertProblem(admin.delete(path(name, "org-del")), 404, "not-found");
        assertEquals(
                201,
                admin.put(path(name, "org-del"), "{\"entity_id\": \"t\"}").status(),
                "a new mapping after the delete is new again");
    }

    @Test
    void shouldAnswer412ForAStaleIfMatchOnUpsertAndDeleteAndApplyTheCurrentOne() {
        String name = integration();
        assertResource(admin.put(path(name, "org-m"), "{\"entity_id\": \"t-1\"}"), 201);
        assertResource(admin.put(path(name, "org-m"), "{\"entity_id\": \"t-2\"}"), 200);

        assertProblem(
                admin.send("PUT", path(name, "org-m"), "{\"entity_id\": \"stale\"}", Map.of("If-Match", "\"1\"")),
                412,
                "stale-version");
        assertProblem(
                admin.send("DELETE", path(name, "org-m"), null, Map.of("If-Match", "\"1\"")), 412, "stale-version");
        assertEquals(
                "t-2", admin.get(path(name, "org-m")).json().get("entity_id").asText(), "the 412s changed nothing");

        var matching = admin.send("PUT", path(name, "org-m"), "{\"entity_id\": \"t-3\"}", Map.of("If-Match", "\"2\""));
        assertEquals(
                "t-3",
                assertResource(matching, 200).get("entity_id").asText(),
                "the upsert with the current ETag applies");
        assertEquals(
                204,
                admin.send("DELETE", path(name, "org-m"), null, Map.of("If-Match", "\"3\""))
                        .status(),
                "the delete with the current ETag applies");
        assertProblem(admin.get(path(name, "org-m")), 404, "not-found");
    }

    @Test
    void shouldAnswer412ForAnIfMatchOnAMappingThatDoesNotExistYet() {
        String name = integration();
        assertProblem(
                admin.send("PUT", path(name, "org-new"), "{\"entity_id\": \"t\"}", Map.of("If-Match", "\"1\"")),
                412,
                "stale-version");
        assertProblem(admin.get(path(name, "org-new")), 404, "not-found");
    }

    // ---- fixtures ----

    /** A new integration with base_url set in its defaults, so mappings need no overrides. */
    private static String integration() {
        String name = "Map-" + SEQUENCE.incrementAndGet();
        assertResource(
                admin.post(
                        "/v1/integrations",
                        "{\"name\": \"%s\", \"auth_scheme\": \"API_KEY\", \"config_schema\": %s}"
                                .formatted(name, SCHEMA)),
                201);
        assertResource(
                admin.put("/v1/integrations/" + name + "/defaults", "{\"config\": {\"base_url\": \"https://d\"}}"),
                200);
        return name;
    }

    private static String path(String name, String org) {
        return "/v1/integrations/" + name + "/mappings/" + org;
    }

    private static List<String> orgs(Http.Reply list) {
        assertEquals(200, list.status(), () -> "expected 200 for the list, got " + list);
        List<String> orgs = new ArrayList<>();
        list.json().forEach(m -> orgs.add(m.get("organization_id").asText()));
        orgs.sort(null);
        return orgs;
    }
}
