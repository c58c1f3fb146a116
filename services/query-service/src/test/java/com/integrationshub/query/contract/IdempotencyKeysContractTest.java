package com.integrationshub.query.contract;

import static com.integrationshub.query.contract.ProblemAssert.assertInvalidFields;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API.md Conventions on Idempotency-Key through the real broker: a key is scoped to the caller, the command and
 * the resource; the same request again is answered once; the same key with a different request is 422.
 */
class IdempotencyKeysContractTest {

    private static HubInstance hub;
    private static Http admin;

    @BeforeAll
    static void start() {
        hub = HubInstance.start(HubInstance.Deployment.fresh());
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
        assertEquals(201, admin.post("/v1/integrations", """
                {"name": "Keys", "auth_scheme": "API_KEY",
                 "config_schema": [{"key": "tier", "type": "string"}]}""").status());
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
    }

    @Test
    void shouldApplyTheSameKeyFromTwoOrgsAndAnAdminCommandEachOnItsOwn() {
        Map<String, String> key = Map.of("Idempotency-Key", "shared-1");
        Http orgB = admin.as(TestTokens.org("org-b"));
        Http orgA = admin.as(TestTokens.org("org-a"));
        assertEquals(
                201,
                orgB.send(
                                "POST",
                                "/v1/orgs/org-b/integrations/Keys/connect",
                                "{\"auth_scheme\": \"API_KEY\", \"data\": {\"api_key\": \"key-of-b\"}}",
                                key)
                        .status());
        Http.Reply a = orgA.send(
                "POST",
                "/v1/orgs/org-a/integrations/Keys/connect",
                "{\"auth_scheme\": \"API_KEY\", \"data\": {\"api_key\": \"key-of-a\"}}",
                key);
        assertEquals(201, a.status(), a.toString());

        assertEquals(
                "key-of-a",
                orgA.get("/v1/orgs/org-a/integrations/Keys/credentials")
                        .json()
                        .path("api_key")
                        .asText(),
                "org-a's connect under org-b's key must store org-a's key");
        assertEquals(
                "key-of-b",
                orgB.get("/v1/orgs/org-b/integrations/Keys/credentials")
                        .json()
                        .path("api_key")
                        .asText());

        Http.Reply patched =
                admin.send("PATCH", "/v1/integrations/Keys", "{\"description\": \"patched under shared-1\"}", key);
        assertEquals(200, patched.status(), patched.toString());
        assertEquals(
                "patched under shared-1",
                admin.get("/v1/integrations/Keys").json().path("description").asText(),
                "an admin PATCH under a key an org used must change the integration");
    }

    @Test
    void shouldAnswerTheSameRequestUnderOneKeyOnceEvenWithItsMembersReordered() {
        Map<String, String> key = Map.of("Idempotency-Key", "upsert-1");
        String body = "{\"entity_id\": \"tenant-1\", \"config\": {\"tier\": \"gold\"}}";
        String reordered = "{ \"config\": {\"tier\": \"gold\"},\n \"entity_id\": \"tenant-1\" }";
        Http.Reply first = admin.send("PUT", "/v1/integrations/Keys/mappings/org-1", body, key);
        Http.Reply second = admin.send("PUT", "/v1/integrations/Keys/mappings/org-1", reordered, key);
        assertEquals(201, first.status(), first.toString());
        assertEquals(201, second.status(), "a retry answers the first outcome, got " + second);
        assertEquals(first.etag(), second.etag());
        assertEquals(1, upserts("org-1"), "the retried upsert is applied once");
    }

    @Test
    void shouldRefuseTheSameKeyWithADifferentRequestWith422NamingIdempotencyKey() {
        Map<String, String> key = Map.of("Idempotency-Key", "upsert-2");
        Http.Reply first = admin.send(
                "PUT",
                "/v1/integrations/Keys/mappings/org-2",
                "{\"entity_id\": \"tenant-2\", \"config\": {\"tier\": \"gold\"}}",
                key);
        assertEquals(201, first.status(), first.toString());
        Http.Reply changed = admin.send(
                "PUT",
                "/v1/integrations/Keys/mappings/org-2",
                "{\"entity_id\": \"tenant-2\", \"config\": {\"tier\": \"silver\"}}",
                key);
        assertInvalidFields(changed, "Idempotency-Key");
        Http.Reply changedIfMatch = admin.send(
                "PUT",
                "/v1/integrations/Keys/mappings/org-2",
                "{\"entity_id\": \"tenant-2\", \"config\": {\"tier\": \"gold\"}}",
                Map.of("Idempotency-Key", "upsert-2", "If-Match", "\"1\""));
        assertInvalidFields(changedIfMatch, "Idempotency-Key");

        assertEquals(
                "gold",
                admin.get("/v1/integrations/Keys/mappings/org-2")
                        .json()
                        .path("config")
                        .path("tier")
                        .asText(),
                "the refused request changes nothing");
        assertEquals(1, upserts("org-2"));
        Http.Reply retried = admin.send(
                "PUT",
                "/v1/integrations/Keys/mappings/org-2",
                "{\"entity_id\": \"tenant-2\", \"config\": {\"tier\": \"gold\"}}",
                key);
        assertEquals(201, retried.status(), "the first request retried still gets its first outcome, got " + retried);
    }

    private static long upserts(String orgId) {
        return StreamSupport.stream(
                        admin.get("/v1/integrations/Keys/history").json().spliterator(), false)
                .filter(e -> "MappingUpserted".equals(e.path("type").asText())
                        && orgId.equals(e.path("org_id").asText()))
                .count();
    }
}
