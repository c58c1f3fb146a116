package com.integrationshub.query.contract;

import static com.integrationshub.query.contract.FieldAssert.assertIntegrationShape;
import static com.integrationshub.query.contract.FieldAssert.assertResource;
import static com.integrationshub.query.contract.FieldAssert.assertUtcTime;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Integrations section of API.md through HTTP against a real broker: create, read, list, PATCH, defaults,
 * delete, history, and the config-schema matrix (each type accepted for its values and refused for other kinds).
 */
class IntegrationsContractTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String SCHEMA = """
            [{"key": "base_url", "type": "string", "required": true},
             {"key": "api_key", "type": "secret", "required": false},
             {"key": "timeout", "type": "int", "required": false}]""";
    /** One field of each type, none required: the matrix integration. */
    private static final String MATRIX = "Matrix";

    private static HubInstance hub;
    private static Http admin;

    @BeforeAll
    static void start() {
        hub = HubInstance.start(HubInstance.Deployment.fresh());
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
        assertEquals(201, admin.post("/v1/integrations", """
                {"name": "Matrix", "auth_scheme": "NO_AUTH",
                 "config_schema": [{"key": "s", "type": "string"}, {"key": "i", "type": "int"},
                                   {"key": "b", "type": "bool"}, {"key": "j", "type": "json"},
                                   {"key": "k", "type": "secret"}]}""").status(), "creating the matrix integration");
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
    }

    // ---- create, read, list ----

    @Test
    void shouldCreateAnIntegrationWith201AndEveryDocumentedField() {
        String name = unique("HaloPSA");
        var created = admin.post("/v1/integrations", """
                {"name": "%s", "description": "HaloPSA ticketing", "auth_scheme": "OAUTH2",
                 "entity_id_name": "Tenant ID", "config_schema": %s,
                 "oauth_connection": "halo-oauth", "credential_headers": {"Authorization": "Bearer {api_key}"}}""".formatted(name, SCHEMA));

        JsonNode body = assertResource(created, 201);
        assertIntegrationShape(body);
        assertEquals(name, body.get("name").asText(), "name");
        assertEquals("HaloPSA ticketing", body.get("description").asText(), "description");
        assertEquals("OAUTH2", body.get("auth_scheme").asText(), "auth_scheme");
        assertEquals("Tenant ID", body.get("entity_id_name").asText(), "entity_id_name");
        assertEquals(FieldAssert.parse(SCHEMA), body.get("config_schema"), "config_schema as sent");
        assertEquals("halo-oauth", body.get("oauth_connection").asText(), "oauth_connection");
        assertEquals(
                FieldAssert.parse("{\"Authorization\": \"Bearer {api_key}\"}"),
                body.get("credential_headers"),
                "credential_headers");
        assertEquals(0, body.get("defaults").size(), "a new integration has no defaults, got " + body.get("defaults"));
        assertEquals(1, body.get("version").asLong(), "a new integration's version");
        assertFalse(body.get("id").asText().isBlank(), "id must not be blank");
        assertEquals(body.get("created_at"), body.get("updated_at"), "a new integration was updated when created");
    }

    @Test
    void shouldDefaultOptionalMembersWhenOnlyNameAndAuthSchemeAreSent() {
        String name = unique("Minimal");
        JsonNode body = assertResource(
                admin.post("/v1/integrations", "{\"name\": \"%s\", \"auth_scheme\": \"NO_AUTH\"}".formatted(name)),
                201);
        assertIntegrationShape(body);
        assertTrue(body.get("description").isNull(), "description absent → null, got " + body.get("description"));
        assertTrue(body.get("oauth_connection").isNull(), "oauth_connection absent → null");
        assertEquals(0, body.get("config_schema").size(), "config_schema absent → []");
        assertEquals(0, body.get("credential_headers").size(), "credential_headers absent → {}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"OAUTH2", "OAUTH1", "API_KEY", "BEARER_TOKEN", "BASIC", "NO_AUTH"})
    void shouldAcceptEveryDocumentedAuthScheme(String scheme) {
        String name = unique("Scheme-" + scheme);
        JsonNode body = assertResource(
                admin.post("/v1/integrations", "{\"name\": \"%s\", \"auth_scheme\": \"%s\"}".formatted(name, scheme)),
                201);
        assertEquals(scheme, body.get("auth_scheme").asText(), "auth_scheme as sent");
    }

    @Test
    void shouldRefuseAnUndocumentedAuthSchemeWith422() {
        assertInvalidFields(
                admin.post(
                        "/v1/integrations", "{\"name\": \"%s\", \"auth_scheme\": \"SAML\"}".formatted(unique("Saml"))),
                "auth_scheme");
    }

    @Test
    void shouldAnswer409WhenTheNameExistsAndKeepTheFirst() {
        String name = unique("Dup");
        assertResource(
                admin.post(
                        "/v1/integrations",
                        "{\"name\": \"%s\", \"description\": \"first\", \"auth_scheme\": \"NO_AUTH\"}".formatted(name)),
                201);

        assertProblem(
                admin.post(
                        "/v1/integrations",
                        "{\"name\": \"%s\", \"description\": \"second\", \"auth_scheme\": \"BASIC\"}".formatted(name)),
                409,
                "conflict");

        JsonNode kept = assertResource(admin.get("/v1/integrations/" + name), 200);
        assertEquals("first", kept.get("description").asText(), "the first integration stays as it was");
        assertEquals(1, kept.get("version").asLong(), "the refused create did not change the version");
    }

    @Test
    void shouldReadAnIntegrationByNameRightAfterItsCreate() {
        String name = unique("Read");
        JsonNode created = assertResource(admin.post("/v1/integrations", create(name)), 201);

        var read = admin.get("/v1/integrations/" + name);

        JsonNode body = assertResource(read, 200);
        assertIntegrationShape(body);
        assertEquals(created, body, "GET answers what the create answered");
        assertEquals("\"1\"", read.etag(), "ETag of version 1");
    }

    @Test
    void shouldAnswer404ForAnUnknownIntegrationOnEveryIntegrationEndpoint() {
        String missing = unique("Missing");
        assertProblem(admin.get("/v1/integrations/" + missing), 404, "not-found");
        assertProblem(admin.patch("/v1/integrations/" + missing, "{\"description\": \"x\"}"), 404, "not-found");
        assertProblem(admin.put("/v1/integrations/" + missing + "/defaults", "{\"config\": {}}"), 404, "not-found");
        assertProblem(admin.delete("/v1/integrations/" + missing), 404, "not-found");
        assertProblem(admin.get("/v1/integrations/" + missing + "/history"), 404, "not-found");
        assertProblem(admin.get("/v1/integrations/" + missing + "/global"), 404, "not-found");
    }

    @Test
    void shouldListEveryIntegrationAsTheSameResourceGetAnswers() {
        String a = unique("ListA");
        String b = unique("ListB");
        assertResource(admin.post("/v1/integrations", create(a)), 201);
        assertResource(
                admin.put(
                        "/v1/integrations/" + a + "/defaults",
                        "{\"config\": {\"base_url\": \"https://a\", \"api_key\": \"list-secret-a\"}}"),
                200);
        assertResource(admin.post("/v1/integrations", create(b)), 201);

        var list = admin.get("/v1/integrations");

        assertEquals(200, list.status(), () -> "expected 200, got " + list);
        assertTrue(list.contentType().startsWith("application/json"), "list Content-Type, got " + list.contentType());
        JsonNode items = FieldAssert.json(list);
        assertTrue(items.isArray(), "expected a JSON array, got " + list.body());
        for (String name : List.of(a, b)) {
            JsonNode item = find(items, "name", name);
            assertIntegrationShape(item);
            assertEquals(
                    FieldAssert.json(admin.get("/v1/integrations/" + name)), item, "list item of " + name + " = GET");
        }
        assertEquals(
                "***", find(items, "name", a).get("defaults").get("api_key").asText(), "secret default masked in list");
        assertFalse(
                list.body().contains("list-secret-a"), "the list must not contain a secret in clear: " + list.body());
    }

    // ---- PATCH ----

    static Stream<Arguments> patchableFields() {
        return Stream.of(
                Arguments.of("description", "\"Changed description\""),
                Arguments.of("description", "null"),
                Arguments.of("entity_id_name", "\"Tenant Key\""),
                Arguments.of("oauth_connection", "\"other-oauth\""),
                Arguments.of("oauth_connection", "null"),
                Arguments.of("credential_headers", "{\"X-Api-Key\": \"{api_key}\", \"X-Tenant\": \"t\"}"),
                Arguments.of("config_schema", """
                        [{"key": "base_url", "type": "string", "required": true},
                         {"key": "api_key", "type": "secret", "required": false},
                         {"key": "timeout", "type": "int", "required": false},
                         {"key": "region", "type": "string", "required": false}]"""));
    }

    @ParameterizedTest(name = "{0} := {1}")
    @MethodSource("patchableFields")
    void shouldPatchEachPatchableFieldAndLeaveTheOthers(String field, String value) {
        String name = unique("Patch");
        JsonNode before = assertResource(admin.post("/v1/integrations", create(name)), 201);

        JsonNode patched =
                assertResource(admin.patch("/v1/integrations/" + name, "{\"%s\": %s}".formatted(field, value)), 200);

        assertIntegrationShape(patched);
        assertEquals(FieldAssert.parse(value), patched.get(field), "patched " + field);
        assertEquals(2, patched.get("version").asLong(), "version after one PATCH");
        assertEquals(before.get("created_at"), patched.get("created_at"), "created_at is kept");
        assertFalse(
                Instant.parse(patched.get("updated_at").asText())
                        .isBefore(Instant.parse(before.get("updated_at").asText())),
                "updated_at moves forward");
        for (String other : List.of(
                "id",
                "name",
                "auth_scheme",
                "description",
                "entity_id_name",
                "config_schema",
                "oauth_connection",
                "credential_headers",
                "defaults")) {
            if (!other.equals(field))
                assertEquals(before.get(other), patched.get(other), other + " is unchanged by a PATCH of " + field);
        }
        assertEquals(
                patched,
                FieldAssert.json(admin.get("/v1/integrations/" + name)),
                "a GET right after the PATCH shows it");
    }

    @Test
    void shouldRefuseToPatchTheNameOrTheAuthScheme() {
        String name = unique("Fixed");
        assertResource(admin.post("/v1/integrations", create(name)), 201);
        assertInvalidFields(admin.patch("/v1/integrations/" + name, "{\"name\": \"Other\"}"), "name");
        assertInvalidFields(admin.patch("/v1/integrations/" + name, "{\"auth_scheme\": \"BASIC\"}"), "auth_scheme");
        assertEquals(
                1, admin.get("/v1/integrations/" + name).json().get("version").asLong(), "nothing changed");
    }

    @Test
    void shouldAnswer412ForAStaleIfMatchOnPatchAndApplyTheCurrentOne() {
        String name = unique("Match");
        assertResource(admin.post("/v1/integrations", create(name)), 201);
        assertResource(admin.patch("/v1/integrations/" + name, "{\"description\": \"v2\"}"), 200);

        assertProblem(
                admin.send(
                        "PATCH",
                        "/v1/integrations/" + name,
                        "{\"description\": \"stale\"}",
                        Map.of("If-Match", "\"1\"")),
                412,
                "stale-version");
        JsonNode unchanged = assertResource(admin.get("/v1/integrations/" + name), 200);
        assertEquals("v2", unchanged.get("description").asText(), "a 412 PATCH changes nothing");

        var current = admin.send(
                "PATCH", "/v1/integrations/" + name, "{\"description\": \"v3\"}", Map.of("If-Match", "\"2\""));
        JsonNode applied = assertResource(current, 200);
        assertEquals("v3", applied.get("description").asText(), "the PATCH with the current ETag applies");
        assertEquals("\"3\"", current.etag(), "ETag after the matching PATCH");
    }

    @Test
    void shouldAnswer412ForAStaleIfMatchOnDefaultsAndDeleteAndApplyTheCurrentOne() {
        String name = unique("MatchDefaults");
        assertResource(admin.post("/v1/integrations", create(name)), 201);

        assertProblem(
                admin.send(
                        "PUT",
                        "/v1/integrations/" + name + "/defaults",
                        "{\"config\": {\"timeout\": 1}}",
                        Map.of("If-Match", "\"7\"")),
                412,
                "stale-version");
        assertResource(
                admin.send(
                        "PUT",
                        "/v1/integrations/" + name + "/defaults",
                        "{\"config\": {\"timeout\": 1}}",
                        Map.of("If-Match", "\"1\"")),
                200);

        assertProblem(
                admin.send("DELETE", "/v1/integrations/" + name, null, Map.of("If-Match", "\"1\"")),
                412,
                "stale-version");
        assertResource(admin.get("/v1/integrations/" + name), 200);
        assertEquals(
                204,
                admin.send("DELETE", "/v1/integrations/" + name, null, Map.of("If-Match", "\"2\""))
                        .status(),
                "DELETE with the current ETag");
        assertProblem(admin.get("/v1/integrations/" + name), 404, "not-found");
    }

    @Test
    void shouldRefuseASchemaPatchThatBreaksStoredDefaultsAndOverridesListingThem() {
        String name = unique("Breaks");
        assertResource(admin.post("/v1/integrations", create(name)), 201);
        assertResource(
                admin.put(
                        "/v1/integrations/" + name + "/defaults",
                        "{\"config\": {\"base_url\": \"https://d\", \"timeout\": 30}}"),
                200);
        assertResource(
                admin.put(
                        "/v1/integrations/" + name + "/mappings/org-b1",
                        "{\"entity_id\": \"t-1\", \"config\": {\"timeout\": 60}}"),
                201);
        assertResource(admin.put("/v1/integrations/" + name + "/mappings/org-b2", "{\"entity_id\": \"t-2\"}"), 201);

        // timeout becomes a string: the int default and org-b1's int override no longer fit.
        assertInvalidFields(
                admin.patch("/v1/integrations/" + name, """
                {"config_schema": [{"key": "base_url", "type": "string", "required": true},
                                   {"key": "api_key", "type": "secret", "required": false},
                                   {"key": "timeout", "type": "string", "required": false}]}"""), "defaults.timeout", "mappings.org-b1.config.timeout");
        // timeout disappears: both stored values become unknown keys.
        assertInvalidFields(
                admin.patch("/v1/integrations/" + name, """
                {"config_schema": [{"key": "base_url", "type": "string", "required": true}]}"""), "defaults.timeout", "mappings.org-b1.config.timeout");
        // a new required key that neither the defaults nor the orgs set.
        var required = admin.patch("/v1/integrations/" + name, """
                {"config_schema": [{"key": "base_url", "type": "string", "required": true},
                                   {"key": "api_key", "type": "secret", "required": false},
                                   {"key": "timeout", "type": "int", "required": false},
                                   {"key": "region", "type": "string", "required": true}]}""");
        assertInvalidFields(required, "mappings.org-b1.config.region", "mappings.org-b2.config.region");

        JsonNode unchanged = assertResource(admin.get("/v1/integrations/" + name), 200);
        assertEquals(
                FieldAssert.parse(SCHEMA), unchanged.get("config_schema"), "a refused schema PATCH keeps the schema");
        assertEquals(2, unchanged.get("version").asLong(), "a refused schema PATCH keeps the version");
    }

    @Test
    void shouldAcceptASchemaPatchThatKeepsStoredValuesValid() {
        String name = unique("Widens");
        assertResource(admin.post("/v1/integrations", create(name)), 201);
        assertResource(
                admin.put("/v1/integrations/" + name + "/defaults", "{\"config\": {\"base_url\": \"https://d\"}}"),
                200);
        assertResource(
                admin.put(
                        "/v1/integrations/" + name + "/mappings/org-w",
                        "{\"entity_id\": \"t\", \"config\": {\"timeout\": 5}}"),
                201);

        JsonNode patched = assertResource(admin.patch("/v1/integrations/" + name, """
                {"config_schema": [{"key": "base_url", "type": "string", "required": true},
                                   {"key": "timeout", "type": "int", "required": true},
                                   {"key": "region", "type": "string", "required": false}]}"""), 200);
        assertEquals(
                3,
                patched.get("config_schema").size(),
                "the new schema is stored, got " + patched.get("config_schema"));
    }

    // ---- defaults ----

    @Test
    void shouldReplaceDefaultsRatherThanMergeThem() {
        String name = unique("Replace");
        assertResource(admin.post("/v1/integrations", create(name)), 201);
        JsonNode first = assertResource(
                admin.put(
                        "/v1/integrations/" + name + "/defaults",
                        "{\"config\": {\"base_url\": \"https://one\", \"timeout\": 30, \"api_key\": \"replace-secret\"}}"),
                200);
        assertIntegrationShape(first);
        assertEquals(2, first.get("version").asLong(), "version after the first defaults");
        assertEquals(
                FieldAssert.parse("{\"base_url\": \"https://one\", \"timeout\": 30, \"api_key\": \"***\"}"),
                first.get("defaults"),
                "defaults as stored, secret masked");

        JsonNode second = assertResource(
                admin.put("/v1/integrations/" + name + "/defaults", "{\"config\": {\"base_url\": \"https://two\"}}"),
                200);

        assertEquals(
                FieldAssert.parse("{\"base_url\": \"https://two\"}"),
                second.get("defaults"),
                "the second PUT replaces the defaults: timeout and api_key are gone");
        assertEquals(3, second.get("version").asLong(), "version after the second defaults");
        assertEquals(
                second, FieldAssert.json(admin.get("/v1/integrations/" + name)), "a GET right after the PUT shows it");
        assertEquals(
                FieldAssert.parse("{\"base_url\": \"https://two\"}"),
                admin.get("/v1/integrations/" + name + "/global").json().get("config"),
                "the global view shows the replaced defaults");
    }

    @Test
    void shouldMaskSecretDefaultsInTheIntegration() {
        String name = unique("Mask");
        assertResource(admin.post("/v1/integrations", create(name)), 201);
        var put = admin.put(
                "/v1/integrations/" + name + "/defaults",
                "{\"config\": {\"base_url\": \"https://m\", \"api_key\": \"mask-me-123\"}}");
        var get = admin.get("/v1/integrations/" + name);
        for (var reply : List.of(put, get)) {
            assertEquals(
                    "***",
                    assertResource(reply, 200).get("defaults").get("api_key").asText(),
                    "secret default reads ***");
            assertFalse(reply.body().contains("mask-me-123"), "no secret in clear: " + reply.body());
        }
    }

    @Test
    void shouldRefuseDefaultsWithAnUnknownKeyOrAWrongTypeNamingEachFieldPath() {
        String name = unique("BadDefaults");
        assertResource(admin.post("/v1/integrations", create(name)), 201);

        assertInvalidFields(
                admin.put("/v1/integrations/" + name + "/defaults", "{\"config\": {\"nope\": 1}}"), "config.nope");
        assertInvalidFields(
                admin.put("/v1/integrations/" + name + "/defaults", "{\"config\": {\"timeout\": \"30\"}}"),
                "config.timeout");
        assertInvalidFields(
                admin.put(
                        "/v1/integrations/" + name + "/defaults",
                        "{\"config\": {\"timeout\": true, \"base_url\": 5, \"nope\": \"x\"}}"),
                "config.timeout",
                "config.base_url",
                "config.nope");
        assertInvalidFields(admin.put("/v1/integrations/" + name + "/defaults", "{}"), "config");

        assertEquals(
                1,
                admin.get("/v1/integrations/" + name).json().get("version").asLong(),
                "refused defaults change nothing");
    }

    // ---- delete ----

    @Test
    void shouldDeleteAnIntegrationWithItsMappings() {
        String name = unique("Gone");
        assertResource(admin.post("/v1/integrations", create(name)), 201);
        assertResource(
                admin.put("/v1/integrations/" + name + "/defaults", "{\"config\": {\"base_url\": \"https://g\"}}"),
                200);
        assertResource(admin.put("/v1/integrations/" + name + "/mappings/org-gone", "{\"entity_id\": \"t-g\"}"), 201);

        var deleted = admin.delete("/v1/integrations/" + name);

        assertEquals(204, deleted.status(), () -> "expected 204, got " + deleted);
        assertTrue(deleted.body().isEmpty(), "204 has no body, got " + deleted.body());
        assertProblem(admin.get("/v1/integrations/" + name), 404, "not-found");
        assertProblem(admin.get("/v1/integrations/" + name + "/mappings/org-gone"), 404, "not-found");
        assertProblem(admin.get("/v1/integrations/" + name + "/mappings"), 404, "not-found");
        assertProblem(admin.get("/v1/orgs/org-gone/integrations/" + name), 404, "not-found");
        assertProblem(admin.get("/v1/integrations/" + name + "/global"), 404, "not-found");
        assertFalse(
                admin.get("/v1/integrations").body().contains("\"" + name + "\""), "the list no longer has " + name);
        JsonNode orgList = admin.get("/v1/orgs/org-gone/integrations").json();
        assertEquals(0, orgList.size(), "the org no longer lists the deleted integration, got " + orgList);
        assertProblem(admin.delete("/v1/integrations/" + name), 404, "not-found");

        // The name can be used again, and the new integration starts without the old mappings.
        assertResource(admin.post("/v1/integrations", create(name)), 201);
        assertEquals(
                0, admin.get("/v1/integrations/" + name + "/mappings").json().size(), "no mapping survives the delete");
        assertProblem(admin.get("/v1/integrations/" + name + "/mappings/org-gone"), 404, "not-found");
    }

    // ---- history ----

    @Test
    void shouldServeHistoryOldestFirstWithTypeVersionAtOrgIdAndMaskedData() {
        String name = unique("History");
        assertResource(admin.post("/v1/integrations", create(name)), 201);
        assertResource(
                admin.put(
                        "/v1/integrations/" + name + "/defaults",
                        "{\"config\": {\"base_url\": \"https://h\", \"api_key\": \"history-secret-1\"}}"),
                200);
        assertResource(
                admin.put(
                        "/v1/integrations/" + name + "/mappings/org-h",
                        "{\"entity_id\": \"t-h\", \"config\": {\"api_key\": \"history-secret-2\"}}"),
                201);
        assertResource(admin.patch("/v1/integrations/" + name, "{\"description\": \"now described\"}"), 200);
        assertResource(admin.put("/v1/integrations/" + name + "/mappings/org-h", "{\"entity_id\": \"t-h2\"}"), 200);
        assertEquals(
                204,
                admin.delete("/v1/integrations/" + name + "/mappings/org-h").status(),
                "mapping delete");

        var reply = admin.get("/v1/integrations/" + name + "/history");

        assertEquals(200, reply.status(), () -> "expected 200, got " + reply);
        JsonNode events = reply.json();
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.path("type").asText()));
        assertEquals(
                List.of(
                        "IntegrationCreated",
                        "IntegrationDefaultsSet",
                        "MappingUpserted",
                        "IntegrationUpdated",
                        "MappingUpserted",
                        "MappingDeleted"),
                types,
                "event types, oldest first");
        List<Long> versions = new ArrayList<>();
        events.forEach(e -> versions.add(e.path("version").asLong()));
        assertEquals(
                List.of(1L, 2L, 1L, 3L, 2L, 3L),
                versions,
                "each event's version (integration and mapping count apart)");
        Instant previous = Instant.MIN;
        for (JsonNode event : events) {
            FieldAssert.assertText(event, "type");
            FieldAssert.assertInteger(event, "version");
            Instant at = assertUtcTime(event, "at");
            assertFalse(at.isBefore(previous), "events oldest first by 'at': " + at + " after " + previous);
            previous = at;
            FieldAssert.assertObject(event, "data");
            assertTrue(event.has("org_id"), "every event has org_id (null for integration events): " + event);
            boolean mappingEvent = event.get("type").asText().startsWith("Mapping");
            assertEquals(
                    mappingEvent ? "org-h" : null,
                    event.get("org_id").isNull() ? null : event.get("org_id").asText(),
                    "org_id of " + event.get("type"));
        }
        assertEquals(
                "***",
                events.get(1).path("data").path("config").path("api_key").asText(),
                "the secret default is masked in the history: " + events.get(1));
        assertEquals(
                "***",
                events.get(2).path("data").path("config").path("api_key").asText(),
                "the secret override is masked in the history: " + events.get(2));
        assertFalse(
                reply.body().contains("history-secret-1") || reply.body().contains("history-secret-2"),
                "no secret in clear in the history: " + reply.body());
    }

    // ---- the config-schema matrix ----

    static Stream<Arguments> acceptedValues() {
        return Stream.of(
                Arguments.of("string", "s", "\"text\"", "\"text\""),
                Arguments.of("string", "s", "\"\"", "\"\""),
                Arguments.of("string", "s", "\"ünïcødé 🎉 \\u0000 end\"", "\"ünïcødé 🎉 \\u0000 end\""),
                Arguments.of("int", "i", "0", "0"),
                Arguments.of("int", "i", "-7", "-7"),
                Arguments.of("int", "i", "9223372036854775807", "9223372036854775807"),
                Arguments.of("bool", "b", "true", "true"),
                Arguments.of("bool", "b", "false", "false"),
                Arguments.of("json", "j", "{\"a\": [1, 2, {\"b\": null}]}", "{\"a\": [1, 2, {\"b\": null}]}"),
                Arguments.of("json", "j", "[1, \"x\", false]", "[1, \"x\", false]"),
                Arguments.of("json", "j", "\"text\"", "\"text\""),
                Arguments.of("json", "j", "12", "12"),
                Arguments.of("json", "j", "0.1", "0.1"),
                Arguments.of("json", "j", "1e400", "1e400"),
                Arguments.of("json", "j", "true", "true"),
                Arguments.of("json", "j", "null", "null"),
                Arguments.of("secret", "k", "\"s3cr3t\"", "\"***\""),
                Arguments.of("secret", "k", "\"ünï 🔑\"", "\"***\""));
    }

    @ParameterizedTest(name = "{0} accepts {2} in defaults")
    @MethodSource("acceptedValues")
    void shouldAcceptEachConfigTypeForItsValuesInDefaults(String type, String key, String value, String shown) {
        JsonNode integration = assertResource(
                admin.put(
                        "/v1/integrations/" + MATRIX + "/defaults", "{\"config\": {\"%s\": %s}}".formatted(key, value)),
                200);

        assertEquals(
                FieldAssert.parse("{\"%s\": %s}".formatted(key, shown)),
                integration.get("defaults"),
                "a " + type + " default reads back as " + shown);
        JsonNode global = FieldAssert.json(admin.get("/v1/integrations/" + MATRIX + "/global"));
        assertEquals(
                FieldAssert.parse(value),
                global.get("config").get(key),
                "the global view shows the " + type + " value as sent");
    }

    @ParameterizedTest(name = "{0} accepts {2} in a mapping")
    @MethodSource("acceptedValues")
    void shouldAcceptEachConfigTypeForItsValuesInMappingOverrides(String type, String key, String value, String shown) {
        var reply = admin.put(
                "/v1/integrations/" + MATRIX + "/mappings/org-matrix",
                "{\"entity_id\": \"m\", \"config\": {\"%s\": %s}}".formatted(key, value));
        JsonNode mapping = assertResource(reply, reply.status() == 201 ? 201 : 200);

        assertEquals(
                FieldAssert.parse("{\"%s\": %s}".formatted(key, shown)),
                mapping.get("config"),
                "a " + type + " override reads back as " + shown + ": " + mapping);
        JsonNode view = FieldAssert.json(admin.get("/v1/orgs/org-matrix/integrations/" + MATRIX));
        assertEquals(
                FieldAssert.parse(value),
                view.get("config").get(key),
                "the org view shows the " + type + " override as sent");
    }

    static Stream<Arguments> refusedValues() {
        return Stream.of(
                Arguments.of("string", "s", "42"),
                Arguments.of("string", "s", "1.5"),
                Arguments.of("string", "s", "true"),
                Arguments.of("string", "s", "{\"a\": 1}"),
                Arguments.of("string", "s", "[\"a\"]"),
                Arguments.of("string", "s", "null"),
                Arguments.of("int", "i", "\"42\""),
                Arguments.of("int", "i", "4.2"),
                Arguments.of("int", "i", "1.0"),
                Arguments.of("int", "i", "true"),
                Arguments.of("int", "i", "{}"),
                Arguments.of("int", "i", "[1]"),
                Arguments.of("int", "i", "null"),
                Arguments.of("int", "i", "9223372036854775808"),
                Arguments.of("int", "i", "1e400"),
                Arguments.of("bool", "b", "\"true\""),
                Arguments.of("bool", "b", "0"),
                Arguments.of("bool", "b", "1"),
                Arguments.of("bool", "b", "null"),
                Arguments.of("bool", "b", "{}"),
                Arguments.of("bool", "b", "[true]"),
                Arguments.of("secret", "k", "42"),
                Arguments.of("secret", "k", "true"),
                Arguments.of("secret", "k", "{\"v\": \"x\"}"),
                Arguments.of("secret", "k", "[\"x\"]"),
                Arguments.of("secret", "k", "null"));
    }

    @ParameterizedTest(name = "{0} refuses {2} in defaults")
    @MethodSource("refusedValues")
    void shouldRefuseEachConfigTypeForOtherKindsInDefaults(String type, String key, String value) {
        JsonNode before = FieldAssert.json(admin.get("/v1/integrations/" + MATRIX));

        assertInvalidFields(
                admin.put(
                        "/v1/integrations/" + MATRIX + "/defaults", "{\"config\": {\"%s\": %s}}".formatted(key, value)),
                "config." + key);

        JsonNode after = FieldAssert.json(admin.get("/v1/integrations/" + MATRIX));
        assertEquals(before.get("version"), after.get("version"), "a refused " + type + " default changes nothing");
    }

    @ParameterizedTest(name = "{0} refuses {2} in a mapping")
    @MethodSource("refusedValues")
    void shouldRefuseEachConfigTypeForOtherKindsInMappingOverrides(String type, String key, String value) {
        assertInvalidFields(
                admin.put(
                        "/v1/integrations/" + MATRIX + "/mappings/org-matrix-refused",
                        "{\"entity_id\": \"m\", \"config\": {\"%s\": %s}}".formatted(key, value)),
                "config." + key);
        assertProblem(admin.get("/v1/integrations/" + MATRIX + "/mappings/org-matrix-refused"), 404, "not-found");
    }

    @Test
    void shouldRefuseAnUnknownConfigKeyInDefaultsAndInMappings() {
        assertInvalidFields(
                admin.put("/v1/integrations/" + MATRIX + "/defaults", "{\"config\": {\"unknown_key\": \"v\"}}"),
                "config.unknown_key");
        assertInvalidFields(
                admin.put(
                        "/v1/integrations/" + MATRIX + "/mappings/org-unknown-key",
                        "{\"entity_id\": \"m\", \"config\": {\"unknown_key\": \"v\"}}"),
                "config.unknown_key");
    }

    @Test
    void shouldRequireARequiredKeyInEveryMappedOrgsMergedConfig() {
        String name = unique("Required");
        assertResource(admin.post("/v1/integrations", create(name)), 201);
        String mappings = "/v1/integrations/" + name + "/mappings/";

        // No default and no override: the org would lack base_url.
        assertInvalidFields(admin.put(mappings + "org-r1", "{\"entity_id\": \"t\"}"), "config.base_url");
        // The org's own value satisfies it.
        assertResource(
                admin.put(mappings + "org-r1", "{\"entity_id\": \"t\", \"config\": {\"base_url\": \"https://own\"}}"),
                201);
        // A default satisfies it for orgs without their own.
        assertResource(
                admin.put("/v1/integrations/" + name + "/defaults", "{\"config\": {\"base_url\": \"https://d\"}}"),
                200);
        assertResource(admin.put(mappings + "org-r2", "{\"entity_id\": \"t\"}"), 201);
        // Removing the default would leave org-r2 (not org-r1) without it.
        var removing = admin.put("/v1/integrations/" + name + "/defaults", "{\"config\": {}}");
        JsonNode problem = assertInvalidFields(removing, "mappings.org-r2.config.base_url");
        assertFalse(
                ProblemAssert.errorFields(problem).contains("mappings.org-r1.config.base_url"),
                "org-r1 has its own base_url and is not listed: " + removing.body());
        assertEquals(
                "https://d",
                admin.get("/v1/orgs/org-r2/integrations/" + name)
                        .json()
                        .get("config")
                        .get("base_url")
                        .asText(),
                "the refused defaults change nothing");
    }

    // ---- fixtures ----

    private static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet();
    }

    private static String create(String name) {
        return "{\"name\": \"%s\", \"auth_scheme\": \"API_KEY\", \"config_schema\": %s}".formatted(name, SCHEMA);
    }

    private static JsonNode find(JsonNode items, String field, String value) {
        for (JsonNode item : items) {
            if (value.equals(item.path(field).asText())) return item;
        }
        throw new AssertionError("expected an item with " + field + "=" + value + " in " + items);
    }
}
