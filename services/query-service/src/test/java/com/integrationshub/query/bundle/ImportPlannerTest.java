package com.integrationshub.query.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.FieldError;
import com.integrationshub.query.bundle.ImportPlan.Action;
import com.integrationshub.query.bundle.ImportPlan.Write;
import com.integrationshub.query.bundle.ImportPlanner.Current;
import com.integrationshub.query.bundle.ImportPlanner.Existing;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The import plan without a hub: create / update / unchanged per item, the writes in order, the bundle's rules. */
class ImportPlannerTest {

    private static final String CONNECTION = """
            {"connection_name": "halo-oauth", "grant_type": "authorization_code", "client_id": "abc",
             "authorization_url": "https://halo.example/authorize", "token_url": "https://halo.example/token",
             "scopes": ["read"], "extra_authorize_params": {}, "client_auth_method": "client_secret_basic",
             "refresh_margin_seconds": null}""";
    private static final String INTEGRATION = """
            {"name": "HaloPSA", "description": "HaloPSA ticketing", "auth_scheme": "OAUTH2", "entity_id_name": null,
             "config_schema": [{"key": "base_url", "type": "string", "required": true},
                               {"key": "api_key", "type": "secret", "required": false},
                               {"key": "timeout", "type": "int", "required": false}],
             "oauth_connection": "halo-oauth", "credential_headers": {},
             "defaults": {"base_url": "https://halo.example", "timeout": 30}}""";
    private static final String MAPPING = """
            {"integration": "HaloPSA", "org_id": "org-1", "entity_id": "tenant-1", "entity_name": "Acme",
             "config": {"timeout": 60}}""";

    @Test
    void shouldPlanCreatesConnectionsFirstThenIntegrationsThenMappings() {
        ImportPlan plan =
                ImportPlanner.plan(bundle(List.of(INTEGRATION), List.of(CONNECTION), List.of(MAPPING)), empty());

        assertEquals(
                List.of(
                        "create oauth_connection halo-oauth",
                        "create integration HaloPSA",
                        "create mapping HaloPSA/org-1"),
                plan.entries().stream()
                        .map(e -> e.op() + " " + e.kind() + " " + e.name())
                        .toList());
        assertEquals(
                List.of(
                        Action.CREATE_CONNECTION,
                        Action.CREATE_INTEGRATION,
                        Action.SET_DEFAULTS,
                        Action.UPSERT_MAPPING),
                plan.writes().stream().map(Write::action).toList());
        assertEquals(
                List.of("client_secret"), plan.entries().get(0).secretsToSet(), "a new connection lacks its secret");
        assertTrue(!plan.writes().get(1).body().has("defaults"), "defaults are set by their own write");
        assertEquals(
                json("{\"config\": {\"base_url\": \"https://halo.example\", \"timeout\": 30}}"),
                plan.writes().get(2).body());
        assertEquals(
                json("{\"entity_id\": \"tenant-1\", \"entity_name\": \"Acme\", \"config\": {\"timeout\": 60}}"),
                plan.writes().get(3).body(),
                "a mapping body is the item without its names");
    }

    @Test
    void shouldPlanNothingForItemsTheHubHoldsAlready() {
        // Numbers read back as longs, a schema entry without `required`: the same values as the API reads them.
        String handWritten = INTEGRATION.replace(", \"required\": false}", "}");
        ImportPlan plan = planned(
                bundle(List.of(handWritten), List.of(CONNECTION), List.of(MAPPING)),
                current(Map.of(
                        BundleKinds.CONNECTION, Map.of("halo-oauth", existing(CONNECTION, 1, Set.of())),
                        BundleKinds.INTEGRATION, Map.of("HaloPSA", existing(INTEGRATION, 2, Set.of("api_key"))),
                        BundleKinds.MAPPING, Map.of("HaloPSA/org-1", existing(MAPPING, 1, Set.of())))));

        assertTrue(
                plan.entries().stream().allMatch(e -> e.op().equals("unchanged")),
                plan.entries().toString());
        assertTrue(plan.writes().isEmpty(), "nothing to write: " + plan.writes());
    }

    @Test
    void shouldPatchOnlyTheMembersThatDifferWithTheCurrentVersion() {
        String changed = CONNECTION.replace("[\"read\"]", "[\"read\", \"write\"]");
        ImportPlan plan = planned(
                bundle(List.of(), List.of(changed), List.of()),
                current(Map.of(BundleKinds.CONNECTION, Map.of("halo-oauth", existing(CONNECTION, 4, Set.of())))));

        assertEquals("update", plan.entries().get(0).op());
        Write write = plan.writes().get(0);
        assertEquals(Action.UPDATE_CONNECTION, write.action());
        assertEquals(json("{\"scopes\": [\"read\", \"write\"]}"), write.body(), "only the changed member is sent");
        assertEquals(4L, write.expectedVersion(), "If-Match: the version the plan was made against");
    }

    @Test
    void shouldKeepAbsentMembersAndTheSecretsTheHubHolds() {
        String newTimeout = INTEGRATION.replace("\"timeout\": 30", "\"timeout\": 45");
        String noEntityName = MAPPING.replace(", \"entity_name\": \"Acme\"", "");
        ImportPlan plan = planned(
                bundle(List.of(newTimeout), List.of(), List.of(noEntityName)),
                current(Map.of(
                        BundleKinds.CONNECTION, Map.of("halo-oauth", existing(CONNECTION, 1, Set.of())),
                        BundleKinds.INTEGRATION, Map.of("HaloPSA", existing(INTEGRATION, 2, Set.of("api_key"))),
                        BundleKinds.MAPPING, Map.of("HaloPSA/org-1", existing(MAPPING, 3, Set.of())))));

        assertEquals(
                List.of("update", "unchanged"),
                plan.entries().stream().map(ImportPlan.Entry::op).toList());
        Write defaults = plan.writes().get(0);
        assertEquals(Action.SET_DEFAULTS, defaults.action());
        assertEquals(Set.of("api_key"), defaults.keepSecrets(), "the secret default the bundle cannot carry is kept");
        assertEquals(2L, defaults.expectedVersion());
    }

    @Test
    void shouldRefuseSecretsNamingTheItemAndField() {
        String withSecret =
                CONNECTION.replace("\"client_id\": \"abc\",", "\"client_id\": \"abc\", \"client_secret\": \"s\",");
        String secretDefault = INTEGRATION.replace("\"timeout\": 30}", "\"timeout\": 30, \"api_key\": \"sk\"}");
        ProblemException refused = assertThrows(
                ProblemException.class,
                () -> planned(bundle(List.of(secretDefault), List.of(withSecret), List.of()), empty()));

        assertEquals(422, refused.status());
        assertEquals(Set.of("oauth_connections[0].client_secret", "integrations[0].defaults.api_key"), fields(refused));
    }

    @Test
    void shouldRefuseReferencesToWhatNeitherTheBundleNorTheHubHas() {
        ProblemException refused = assertThrows(
                ProblemException.class,
                () -> planned(
                        bundle(List.of(INTEGRATION), List.of(), List.of(MAPPING.replace("HaloPSA", "Other"))),
                        empty()));

        assertEquals(Set.of("integrations[0].oauth_connection", "mappings[0].integration"), fields(refused));
    }

    @Test
    void shouldRefuseBadItemsAsTheApiWould() {
        String dup = CONNECTION;
        String badType = INTEGRATION.replace("\"timeout\": 30", "\"timeout\": \"soon\"");
        String missingRequired = MAPPING.replace("org-1", "org-2");
        String noDefaultBase = badType.replace("\"base_url\": \"https://halo.example\", ", "");
        ProblemException refused = assertThrows(
                ProblemException.class,
                () -> planned(
                        bundle(
                                List.of(badType, noDefaultBase.replace("HaloPSA", "Two")),
                                List.of(CONNECTION, dup),
                                List.of(missingRequired.replace("HaloPSA", "Two"))),
                        empty()));

        Set<String> fields = fields(refused);
        assertTrue(
                fields.contains("oauth_connections[1].connection_name"), "a second item of the same name: " + fields);
        assertTrue(fields.contains("integrations[0].defaults.timeout"), "a value of the wrong type: " + fields);
        assertTrue(fields.contains("mappings[0].config.base_url"), "a required key no one sets: " + fields);
    }

    @Test
    void shouldRefuseAChangeOfAuthScheme() {
        ProblemException refused = assertThrows(
                ProblemException.class,
                () -> planned(
                        bundle(List.of(INTEGRATION.replace("OAUTH2", "API_KEY")), List.of(CONNECTION), List.of()),
                        current(Map.of(
                                BundleKinds.INTEGRATION, Map.of("HaloPSA", existing(INTEGRATION, 1, Set.of()))))));

        assertEquals(Set.of("integrations[0].auth_scheme"), fields(refused));
    }

    @Test
    void shouldSetDefaultsBeforeASchemaThatDropsTheirKey() {
        String dropped =
                INTEGRATION.replaceAll(",\\s*\\{\"key\": \"timeout\"[^}]*}", "").replace(", \"timeout\": 30", "");
        ImportPlan plan = planned(
                bundle(List.of(dropped), List.of(CONNECTION), List.of()),
                current(Map.of(
                        BundleKinds.CONNECTION, Map.of("halo-oauth", existing(CONNECTION, 1, Set.of())),
                        BundleKinds.INTEGRATION, Map.of("HaloPSA", existing(INTEGRATION, 5, Set.of())))));

        assertEquals(
                List.of(Action.SET_DEFAULTS, Action.UPDATE_INTEGRATION),
                plan.writes().stream().map(Write::action).toList(),
                "the stored timeout default would break the new schema");
        assertEquals(5L, plan.writes().get(0).expectedVersion());
    }

    @Test
    void shouldBoundTheBundle() {
        assertEquals(
                413,
                assertThrows(ProblemException.class, () -> Bundle.read("{\"integrations\": []}", 10, 10))
                        .status());
        ProblemException tooMany =
                assertThrows(ProblemException.class, () -> Bundle.read("{\"mappings\": [{}, {}, {}]}", 1000, 2));
        assertEquals(422, tooMany.status());
        assertEquals(Set.of("mappings"), fields(tooMany));
        assertEquals(
                Set.of("extra"),
                fields(assertThrows(ProblemException.class, () -> Bundle.read("{\"extra\": []}", 1000, 10))));
    }

    /** The plan, or its 422 when the bundle has errors. */
    private static ImportPlan planned(Bundle bundle, Current current) {
        ImportPlan plan = ImportPlanner.plan(bundle, current);
        plan.throwIfInvalid(List.of());
        return plan;
    }

    private static Bundle bundle(List<String> integrations, List<String> connections, List<String> mappings) {
        String body = "{\"integrations\": [" + String.join(",", integrations) + "], \"oauth_connections\": ["
                + String.join(",", connections) + "], \"mappings\": [" + String.join(",", mappings) + "]}";
        return Bundle.read(body, 1 << 20, 1000);
    }

    private static Current empty() {
        return current(Map.of());
    }

    private static Current current(Map<String, Map<String, Existing>> byKind) {
        return new Current(new HashMap<>(byKind));
    }

    /** A stored resource as the export renders it (numbers as longs, as IntegrationJson puts them). */
    private static Existing existing(String item, long version, Set<String> secretKeys) {
        ObjectNode node = json(item);
        if (node.has("defaults")) {
            ObjectNode defaults = (ObjectNode) node.get("defaults");
            if (defaults.has("timeout"))
                defaults.put("timeout", defaults.get("timeout").asLong());
        }
        return new Existing(node, version, secretKeys);
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JsonBody.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Set<String> fields(ProblemException e) {
        return Set.copyOf(e.errors().stream().map(FieldError::getField).toList());
    }
}
