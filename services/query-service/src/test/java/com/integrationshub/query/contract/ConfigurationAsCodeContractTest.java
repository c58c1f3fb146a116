package com.integrationshub.query.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.TestTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The "Configuration as code" section of API.md through HTTP against a real broker: two hubs, a bundle between. */
class ConfigurationAsCodeContractTest {

    private static final String CLIENT_SECRET = "client-secret-never-exported";
    private static final String SECRET_DEFAULT = "sk_default_never_exported";
    private static final String SECRET_OVERRIDE = "sk_override_never_exported";

    private static HubInstance.Deployment sourceDeployment;
    private static HubInstance.Deployment targetDeployment;
    private static HubInstance source;
    private static HubInstance target;
    private static Http admin;
    private static Http targetAdmin;
    private static BrokerTopics topics;

    @BeforeAll
    static void start() {
        sourceDeployment = HubInstance.Deployment.fresh();
        targetDeployment = HubInstance.Deployment.fresh();
        source = HubInstance.start(sourceDeployment);
        target = HubInstance.start(targetDeployment);
        admin = new Http(source.url(), TestTokens.admin());
        targetAdmin = new Http(target.url(), TestTokens.admin());
        Await.ready(admin);
        Await.ready(targetAdmin);
        topics = new BrokerTopics(HubTestCluster.shared().bootstrapServers());

        created(admin.post("/v1/oauth/connections", """
                {"connection_name": "halo-oauth", "client_id": "halo-client", "client_secret": "%s",
                 "authorization_url": "https://halo.example/authorize", "token_url": "https://halo.example/token",
                 "scopes": ["all"], "extra_authorize_params": {"prompt": "consent"}}""".formatted(CLIENT_SECRET)));
        created(admin.post("/v1/integrations", """
                {"name": "HaloPSA", "description": "HaloPSA ticketing", "auth_scheme": "OAUTH2",
                 "entity_id_name": "Tenant ID", "oauth_connection": "halo-oauth",
                 "config_schema": [{"key": "base_url", "type": "string", "required": true},
                                   {"key": "api_key", "type": "secret"}, {"key": "timeout", "type": "int"},
                                   {"key": "extra", "type": "json"}],
                 "credential_headers": {"X-Key": "{api_key}"}}"""));
        ok(admin.put("/v1/integrations/HaloPSA/defaults", """
                {"config": {"base_url": "https://halo.example", "api_key": "%s", "timeout": 30,
                            "extra": {"a": [1, 2.5, true]}}}""".formatted(SECRET_DEFAULT)));
        created(admin.put("/v1/integrations/HaloPSA/mappings/org-1", """
                {"entity_id": "tenant-1", "entity_name": "Acme", "config": {"timeout": 60, "api_key": "%s"}}""".formatted(SECRET_OVERRIDE)));
        created(admin.put("/v1/integrations/HaloPSA/mappings/org-2", "{\"entity_id\": \"tenant-2\"}"));
        created(admin.post("/v1/integrations", """
                {"name": "Plain", "auth_scheme": "API_KEY", "config_schema": []}"""));
    }

    @AfterAll
    static void stop() {
        if (source != null) source.close();
        if (target != null) target.close();
    }

    @Test
    void shouldRoundTripThroughAnEmptyHubAndChangeNothingTheSecondTime() {
        JsonNode exported = ok(admin.get("/v1/export"));
        assertEquals(2, exported.get("integrations").size(), "integrations: " + exported);
        assertEquals(1, exported.get("oauth_connections").size(), "connections: " + exported);
        assertEquals(2, exported.get("mappings").size(), "mappings: " + exported);

        JsonNode first = ok(targetAdmin.post("/v1/import?dry_run=false", exported.toString()));
        assertTrue(first.get("applied").asBoolean(), "applied: " + first);
        assertEquals(
                List.of(
                        "create oauth_connection halo-oauth",
                        "create integration HaloPSA",
                        "create integration Plain",
                        "create mapping HaloPSA/org-1",
                        "create mapping HaloPSA/org-2"),
                ops(first),
                "connections, then integrations, then mappings");
        assertEquals(exported, ok(targetAdmin.get("/v1/export")), "the empty hub exports the same bundle");

        Map<TopicPartition, Long> commands = topics.endOffsets(targetDeployment.commandsTopic());
        Map<TopicPartition, Long> events = topics.endOffsets(targetDeployment.eventsTopic());
        JsonNode second = ok(targetAdmin.post("/v1/import?dry_run=false", exported.toString()));
        assertEquals(
                Set.of("unchanged"),
                new TreeSet<>(ops(second).stream().map(op -> op.split(" ")[0]).toList()),
                "a second import: " + second);
        assertTrue(second.get("applied").asBoolean(), "nothing to apply is applied: " + second);
        assertEquals(commands, topics.endOffsets(targetDeployment.commandsTopic()), "a second import sent commands");
        assertEquals(events, topics.endOffsets(targetDeployment.eventsTopic()), "a second import appended events");
    }

    @Test
    void shouldExportNoSecret() {
        String exported = admin.get("/v1/export").body();
        for (String secret : List.of(CLIENT_SECRET, SECRET_DEFAULT, SECRET_OVERRIDE, "***")) {
            assertFalse(exported.contains(secret), "the export carries " + secret + ": " + exported);
        }
        JsonNode bundle = FieldAssert.parse(exported);
        assertFalse(bundle.get("oauth_connections").get(0).has("client_secret"), "client_secret is left out");
        JsonNode mapping = bundle.get("mappings").get(0);
        assertFalse(mapping.has("oauth_token_id"), "the token an authorization linked is not configuration");
        assertEquals(FieldAssert.parse("{\"timeout\": 60}"), mapping.get("config"), "overrides without the secret");
    }

    @Test
    void shouldKeepTheSecretsTheBundleLeavesOut() {
        String bundle = admin.get("/v1/export")
                .body()
                .replace("\"timeout\":30", "\"timeout\":31")
                .replace("\"timeout\":60", "\"timeout\":61")
                .replace("\"scopes\":[\"all\"]", "\"scopes\":[\"all\",\"more\"]");

        JsonNode applied = ok(admin.post("/v1/import", bundle));
        assertTrue(
                ops(applied)
                        .containsAll(List.of(
                                "update oauth_connection halo-oauth",
                                "update integration HaloPSA",
                                "update mapping HaloPSA/org-1")),
                "updates: " + applied);

        JsonNode view = ok(admin.get("/v1/orgs/org-1/integrations/HaloPSA"));
        assertEquals(61, view.get("config").get("timeout").asInt(), "the imported override: " + view);
        assertEquals(SECRET_OVERRIDE, view.get("config").get("api_key").asText(), "the secret override is kept");
        JsonNode global = ok(admin.get("/v1/integrations/HaloPSA/global"));
        assertEquals(31, global.get("config").get("timeout").asInt(), "the imported default");
        assertEquals(SECRET_DEFAULT, global.get("config").get("api_key").asText(), "the secret default is kept");
        assertEquals(CLIENT_SECRET, global.get("oauth").get("client_secret").asText(), "the client secret is kept");
        assertEquals("[\"all\",\"more\"]", global.get("oauth").get("scopes").toString(), "the imported scopes");
    }

    @Test
    void shouldChangeNothingOnADryRun() {
        String bundle = """
                {"oauth_connections": [{"connection_name": "dry-oauth", "client_id": "c",
                                        "token_url": "https://dry.example/token"}],
                 "integrations": [{"name": "Dry", "auth_scheme": "NO_AUTH", "config_schema": []}],
                 "mappings": [{"integration": "Dry", "org_id": "org-9", "entity_id": "e"}]}""";
        Map<TopicPartition, Long> commands = topics.endOffsets(sourceDeployment.commandsTopic());
        Map<TopicPartition, Long> events = topics.endOffsets(sourceDeployment.eventsTopic());

        JsonNode plan = ok(admin.post("/v1/import?dry_run=true", bundle));

        assertFalse(plan.get("applied").asBoolean(), "a dry run is not applied: " + plan);
        assertEquals(
                List.of("create oauth_connection dry-oauth", "create integration Dry", "create mapping Dry/org-9"),
                ops(plan));
        assertEquals(404, admin.get("/v1/integrations/Dry").status(), "a dry run created the integration");
        assertEquals(404, admin.get("/v1/oauth/connections/dry-oauth").status(), "a dry run created the connection");
        assertEquals(commands, topics.endOffsets(sourceDeployment.commandsTopic()), "a dry run sent commands");
        assertEquals(events, topics.endOffsets(sourceDeployment.eventsTopic()), "a dry run appended events");
    }

    @Test
    void shouldRefuseABadBundleWith422NamingTheItemAndApplyNothing() {
        String bundle = """
                {"oauth_connections": [{"connection_name": "bad-oauth", "client_id": "c",
                                        "token_url": "https://bad.example/token"}],
                 "integrations": [{"name": "Good", "auth_scheme": "NO_AUTH", "config_schema": []},
                                  {"name": "Bad", "auth_scheme": "NO_AUTH",
                                   "config_schema": [{"key": "k", "type": "float"}]},
                                  {"name": "Typo", "auth_scheme": "NO_AUTH", "descripton": "x"}],
                 "mappings": [{"integration": "Good", "org_id": "org-1"}]}""";
        Map<TopicPartition, Long> commands = topics.endOffsets(sourceDeployment.commandsTopic());

        Http.Reply refused = admin.post("/v1/import?dry_run=false", bundle);

        ProblemAssert.assertInvalidFields(
                refused,
                "integrations[1].config_schema[0].type",
                "integrations[2].descripton",
                "mappings[0].entity_id");
        assertEquals(404, admin.get("/v1/integrations/Good").status(), "a refused bundle applied its good items");
        assertEquals(
                404, admin.get("/v1/oauth/connections/bad-oauth").status(), "a refused bundle applied a connection");
        assertEquals(commands, topics.endOffsets(sourceDeployment.commandsTopic()), "a refused bundle sent commands");

        Http.Reply secret = admin.post("/v1/import", """
                {"oauth_connections": [{"connection_name": "s-oauth", "client_id": "c", "client_secret": "x",
                                        "token_url": "https://s.example/token"}]}""");
        ProblemAssert.assertInvalidFields(secret, "oauth_connections[0].client_secret");
        assertFalse(secret.body().contains("\"x\""), "the problem echoes the secret: " + secret.body());
    }

    @Test
    void shouldStopAtAWriteTheStoredStateRefusesNamingItsItem() {
        created(admin.post("/v1/integrations", """
                {"name": "Narrowed", "auth_scheme": "NO_AUTH",
                 "config_schema": [{"key": "timeout", "type": "int"}]}"""));
        created(admin.put("/v1/integrations/Narrowed/mappings/org-5", """
                {"entity_id": "e", "config": {"timeout": 5}}"""));
        String before = admin.get("/v1/integrations/Narrowed").body();

        // The bundle leaves the mapping out: only the decider sees that its override breaks the new schema.
        Http.Reply refused = admin.post("/v1/import", """
                {"integrations": [{"name": "Narrowed", "auth_scheme": "NO_AUTH", "config_schema": []}]}""");

        JsonNode problem = ProblemAssert.assertProblem(refused, 422, "validation-failed");
        assertTrue(
                problem.get("detail").asText().contains("integrations[0]"), "the problem names the item: " + problem);
        assertTrue(
                ProblemAssert.errorFields(problem).stream().allMatch(f -> f.startsWith("integrations[0].")),
                "every field is named within the bundle: " + problem);
        assertEquals(before, admin.get("/v1/integrations/Narrowed").body(), "the refused write changed nothing");
    }

    @Test
    void shouldRefuseTokensThatAreNotAdmin() {
        Http org = admin.as(TestTokens.org("org-1"));
        assertEquals(403, org.get("/v1/export").status(), "an org token exports");
        assertEquals(403, org.post("/v1/import?dry_run=true", "{}").status(), "an org token imports");
        assertEquals(401, admin.as(null).get("/v1/export").status(), "no token exports");
    }

    private static List<String> ops(JsonNode answer) {
        List<String> ops = new ArrayList<>();
        answer.get("plan")
                .forEach(e -> ops.add(e.get("op").asText() + " " + e.get("kind").asText() + " "
                        + e.get("name").asText()));
        return ops;
    }

    private static JsonNode ok(Http.Reply reply) {
        assertEquals(200, reply.status(), () -> "expected 200, got " + reply);
        return reply.json();
    }

    private static void created(Http.Reply reply) {
        assertEquals(201, reply.status(), () -> "expected 201, got " + reply);
    }
}
