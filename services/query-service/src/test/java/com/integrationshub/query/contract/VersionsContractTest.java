package com.integrationshub.query.contract;

import static com.integrationshub.query.contract.ProblemAssert.assertInvalidFields;
import static com.integrationshub.query.contract.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Versions (ETags) through the real broker: a re-created integration or mapping never reuses a version of an
 * earlier incarnation, so an old If-Match cannot match it; an empty PATCH changes nothing and keeps the version;
 * `{"config": null}` on PUT defaults is refused.
 */
class VersionsContractTest {

    private static final String SCHEMA = "[{\"key\": \"tier\", \"type\": \"string\", \"required\": false}]";

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
    void shouldGiveAReCreatedIntegrationAVersionAboveEveryVersionOfTheDeletedOne() {
        create("Phoenix");
        assertEquals(
                200,
                admin.patch("/v1/integrations/Phoenix", "{\"description\": \"two\"}")
                        .status());
        Http.Reply three = admin.patch("/v1/integrations/Phoenix", "{\"description\": \"three\"}");
        assertEquals("\"3\"", three.etag(), three.toString());
        assertEquals(204, admin.delete("/v1/integrations/Phoenix").status());

        Http.Reply again = create("Phoenix");
        long version = version(again);
        assertTrue(version > 3, "the new incarnation starts above the old one's versions, got " + again.etag());
        for (String old : new String[] {"\"1\"", "\"2\"", "\"3\""}) {
            Http.Reply stale = admin.send(
                    "PATCH", "/v1/integrations/Phoenix", "{\"description\": \"x\"}", Map.of("If-Match", old));
            assertProblem(stale, 412, "stale-version");
        }
    }

    @Test
    void shouldGiveAReCreatedMappingAVersionAboveTheDeletedOneAndAnswer201() {
        create("Mapped");
        String path = "/v1/integrations/Mapped/mappings/org-1";
        assertEquals(201, admin.put(path, "{\"entity_id\": \"t-1\"}").status());
        assertEquals("\"2\"", admin.put(path, "{\"entity_id\": \"t-1b\"}").etag());
        assertEquals(204, admin.delete(path).status());

        Http.Reply recreated = admin.put(path, "{\"entity_id\": \"t-1c\"}");
        assertEquals(201, recreated.status(), "a mapping made again is created: " + recreated);
        assertTrue(version(recreated) > 2, "above the deleted mapping's versions, got " + recreated.etag());
        assertProblem(
                admin.send("PUT", path, "{\"entity_id\": \"t-x\"}", Map.of("If-Match", "\"1\"")), 412, "stale-version");
        assertEquals(200, admin.put(path, "{\"entity_id\": \"t-1d\"}").status(), "an update answers 200");
    }

    @Test
    void shouldKeepTheVersionsOfMappingsDeletedWithTheirIntegration() {
        create("Cascade");
        String path = "/v1/integrations/Cascade/mappings/org-2";
        assertEquals(201, admin.put(path, "{\"entity_id\": \"t-2\"}").status());
        assertEquals("\"2\"", admin.put(path, "{\"entity_id\": \"t-2b\"}").etag());
        assertEquals(204, admin.delete("/v1/integrations/Cascade").status());

        create("Cascade");
        Http.Reply recreated = admin.put(path, "{\"entity_id\": \"t-2c\"}");
        assertEquals(201, recreated.status(), recreated.toString());
        assertTrue(
                version(recreated) > 2,
                "above the versions of the mapping deleted with its integration, got " + recreated.etag());
    }

    @Test
    void shouldChangeNothingAndKeepTheVersionOnAnEmptyPatch() {
        Http.Reply created = create("Quiet");
        int events = admin.get("/v1/integrations/Quiet/history").json().size();

        Http.Reply empty = admin.patch("/v1/integrations/Quiet", "{}");
        assertEquals(200, empty.status(), empty.toString());
        assertEquals(created.etag(), empty.etag(), "the version stays");
        assertEquals(created.json().path("description"), empty.json().path("description"));
        assertEquals(events, admin.get("/v1/integrations/Quiet/history").json().size(), "no event appended");
        assertProblem(
                admin.send("PATCH", "/v1/integrations/Quiet", "{}", Map.of("If-Match", "\"9\"")), 412, "stale-version");
        assertEquals(
                200,
                admin.send("PATCH", "/v1/integrations/Quiet", "{}", Map.of("If-Match", created.etag()))
                        .status());

        Http.Reply connection = admin.post("/v1/oauth/connections", """
                {"connection_name": "quiet-oauth", "client_id": "c", "client_secret": "s",
                 "authorization_url": "https://provider.example/authorize", "token_url": "https://provider.example/token"}""");
        assertEquals(201, connection.status(), connection.toString());
        Http.Reply emptyConnection = admin.patch("/v1/oauth/connections/quiet-oauth", "{}");
        assertEquals(200, emptyConnection.status(), emptyConnection.toString());
        assertEquals(connection.etag(), emptyConnection.etag(), "a connection's version stays too");
    }

    @Test
    void shouldRefuseNullConfigOnPutDefaultsNamingConfig() {
        create("Nullish");
        assertInvalidFields(admin.put("/v1/integrations/Nullish/defaults", "{\"config\": null}"), "config");
        assertEquals(
                200,
                admin.put("/v1/integrations/Nullish/defaults", "{\"config\": {}}")
                        .status(),
                "{} still clears the defaults");
    }

    private static Http.Reply create(String name) {
        Http.Reply created = admin.post("/v1/integrations", """
                {"name": "%s", "auth_scheme": "API_KEY", "config_schema": %s}""".formatted(name, SCHEMA));
        assertEquals(201, created.status(), created.toString());
        return created;
    }

    private static long version(Http.Reply reply) {
        return Long.parseLong(reply.etag().replace("\"", ""));
    }
}
