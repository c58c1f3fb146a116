package com.integrationshub.query.pipeline;

import static com.integrationshub.query.pipeline.PipelineFixture.defaultsBody;
import static com.integrationshub.query.pipeline.PipelineFixture.historyEntriesOfType;
import static com.integrationshub.query.pipeline.PipelineFixture.integrationBody;
import static com.integrationshub.query.pipeline.PipelineFixture.mappingBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance writes, stops, and comes back: on its own state dir, then on an empty one (same application id, so
 * the stores restore from their changelogs). Every read answers as before, and new writes are decided against the
 * restored versions. The steps build on each other, so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestartTest {

    private static final Logger LOG = LoggerFactory.getLogger(RestartTest.class);
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> READS = List.of(
            "/v1/integrations",
            "/v1/integrations/Alpha",
            "/v1/integrations/Beta",
            "/v1/integrations/Gamma",
            "/v1/integrations/Alpha/global",
            "/v1/integrations/Alpha/mappings",
            "/v1/integrations/Alpha/mappings?entity_id=tenant-1",
            "/v1/integrations/Alpha/mappings/org-1",
            "/v1/integrations/Alpha/mappings/org-2",
            "/v1/integrations/Alpha/mappings/org-3",
            "/v1/integrations/Beta/mappings/org-1",
            "/v1/orgs/org-1/integrations/Alpha",
            "/v1/orgs/org-1/integrations/Beta",
            "/v1/orgs/org-2/integrations/Alpha",
            "/v1/orgs/org-9/integrations/Alpha",
            "/v1/orgs/org-1/integrations",
            "/v1/integrations/Alpha/history");

    private static HubInstance.Deployment deployment;
    private static Path stateDir;
    private static HubInstance hub;
    private static Http admin;
    private static Map<String, Http.Reply> beforeRestart;
    private static Http.Reply idempotentUpsert;

    @BeforeAll
    static void start() {
        deployment = HubInstance.Deployment.fresh();
        stateDir = HubInstance.newStateDir();
        hub = HubInstance.start(deployment, stateDir, HubInstance.freePort());
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
        write();
        beforeRestart = reads();
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
    }

    @Test
    @Order(1)
    void shouldAnswerEveryReadAsBeforeAfterARestartOnItsOwnStateDir() {
        restart(stateDir);

        assertSameAnswers(beforeRestart, readsOnceServing());
    }

    @Test
    @Order(2)
    void shouldAnswerEveryReadAsBeforeAfterARestartOnAnEmptyStateDir() {
        restart(HubInstance.newStateDir());

        assertSameAnswers(beforeRestart, readsOnceServing());
    }

    @Test
    @Order(3)
    void shouldDecideWritesAfterRestartAgainstTheRestoredVersions() {
        Http.Reply upsert =
                admin.put("/v1/integrations/Alpha/mappings/org-1", mappingBody("tenant-1", Map.of("timeout", 61)));
        assertEquals(200, upsert.status(), "expected 200 for an upsert of an existing mapping, got " + upsert);
        assertEquals("\"2\"", upsert.etag(), "expected the mapping at version 2, got " + upsert);
        assertEquals(
                61,
                admin.get("/v1/orgs/org-1/integrations/Alpha")
                        .json()
                        .path("config")
                        .path("timeout")
                        .asInt(),
                "expected the org view to show the new override");

        Http.Reply patch = admin.send(
                "PATCH",
                "/v1/integrations/Alpha",
                "{\"description\": \"after restart\"}",
                Map.of("If-Match", beforeRestart.get("/v1/integrations/Alpha").etag()));
        assertEquals(200, patch.status(), "expected 200 for If-Match of the version before the restarts, got " + patch);
        assertEquals("\"4\"", patch.etag(), "expected version 4 after the restored version 3, got " + patch);
        Http.Reply stale = admin.send(
                "PATCH",
                "/v1/integrations/Alpha",
                "{\"description\": \"stale\"}",
                Map.of("If-Match", beforeRestart.get("/v1/integrations/Alpha").etag()));
        assertEquals(412, stale.status(), "expected 412 for the now stale If-Match, got " + stale);
        Http.Reply again = admin.post("/v1/integrations", integrationBody("Alpha"));
        assertEquals(409, again.status(), "expected 409 for a create of a name that exists, got " + again);

        Http.Reply repeated = admin.send(
                "PUT",
                "/v1/integrations/Alpha/mappings/org-2",
                mappingBody("tenant-2", Map.of("tier", "silver")),
                Map.of("Idempotency-Key", "before-restart"));
        assertEquals(
                idempotentUpsert.status(),
                repeated.status(),
                "expected a command repeated after the restarts " + "to answer as the first time, got " + repeated);
        assertEquals(idempotentUpsert.etag(), repeated.etag(), "expected the same version, got " + repeated);
        assertEquals(
                1,
                historyEntriesOfType(admin, "Alpha", "MappingUpserted", "org-2").size(),
                "expected the command repeated after the restarts to be applied once");

        Http.Reply recreated = admin.put("/v1/integrations/Alpha/mappings/org-3", mappingBody("tenant-3", Map.of()));
        assertEquals(
                201, recreated.status(), "expected 201 for a mapping deleted before the restarts, got " + recreated);
    }

    private static void write() {
        expect(201, admin.post("/v1/integrations", integrationBody("Alpha")));
        expect(
                200,
                admin.put(
                        "/v1/integrations/Alpha/defaults",
                        defaultsBody(
                                Map.of("base_url", "https://alpha.example", "timeout", 30, "api_key", "sk-alpha"))));
        expect(200, admin.patch("/v1/integrations/Alpha", "{\"description\": \"Alpha, described again\"}"));
        expect(201, admin.post("/v1/integrations", integrationBody("Beta")));
        expect(200, admin.put("/v1/integrations/Beta/defaults", defaultsBody(Map.of("tier", "basic"))));
        expect(201, admin.post("/v1/integrations", integrationBody("Gamma")));
        expect(204, admin.delete("/v1/integrations/Gamma"));
        expect(
                201,
                admin.put(
                        "/v1/integrations/Alpha/mappings/org-1",
                        mappingBody("tenant-1", Map.of("timeout", 60, "tier", "gold"))));
        idempotentUpsert = admin.send(
                "PUT",
                "/v1/integrations/Alpha/mappings/org-2",
                mappingBody("tenant-2", Map.of("tier", "silver")),
                Map.of("Idempotency-Key", "before-restart"));
        expect(201, idempotentUpsert);
        expect(201, admin.put("/v1/integrations/Alpha/mappings/org-3", mappingBody("tenant-3", Map.of())));
        expect(204, admin.delete("/v1/integrations/Alpha/mappings/org-3"));
        expect(
                201,
                admin.put(
                        "/v1/integrations/Beta/mappings/org-1",
                        mappingBody("tenant-b1", Map.of("api_key", "sk-org-1"))));
    }

    private static void restart(Path dir) {
        hub.close();
        long started = System.nanoTime();
        // A new port: the old one may not be free again at once (another test or the OS may hold it).
        hub = HubInstance.start(deployment, dir, HubInstance.freePort());
        admin = new Http(hub.url(), TestTokens.admin());
        PipelineFixture.awaitSettled(RESTART_TIMEOUT, hub);
        LOG.info(
                "restart on {} state dir serving after {} ms",
                dir.equals(stateDir) ? "its own" : "an empty",
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Every read, once none answers 503 (the stores are still being restored). */
    private static Map<String, Http.Reply> readsOnceServing() {
        return Await.until(
                RESTART_TIMEOUT,
                RestartTest::reads,
                replies -> replies.values().stream().noneMatch(r -> r.status() == 503),
                "every read to answer something other than 503 after the restart");
    }

    private static Map<String, Http.Reply> reads() {
        Map<String, Http.Reply> replies = new LinkedHashMap<>();
        for (String path : READS) replies.put(path, admin.get(path));
        return replies;
    }

    private static void assertSameAnswers(Map<String, Http.Reply> expected, Map<String, Http.Reply> actual) {
        List<String> differences = new ArrayList<>();
        for (String path : READS) {
            Http.Reply before = expected.get(path);
            Http.Reply after = actual.get(path);
            if (before.status() != after.status()
                    || !java.util.Objects.equals(before.etag(), after.etag())
                    || !before.json().equals(after.json())) {
                differences.add(path + ": expected " + before.status() + " ETag " + before.etag() + " " + before.body()
                        + " but got " + after.status() + " ETag " + after.etag() + " " + after.body());
            }
        }
        assertTrue(
                differences.isEmpty(),
                "expected every read to answer as before the restart; " + differences.size() + " differ:\n"
                        + String.join("\n", differences));
        assertEquals(200, actual.get("/v1/integrations").status());
    }

    private static void expect(int status, Http.Reply reply) {
        assertEquals(status, reply.status(), "expected " + status + " while writing the data, got " + reply);
    }
}
