package com.integrationshub.query.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances of one deployment share 8 integrations over 3 partitions: each exports the whole hub (its own
 * partitions and the other's), and an import on either reads every item's state where it lives.
 */
class ExportAcrossInstancesTest {

    private static final int INTEGRATIONS = 8;

    private static HubInstance first;
    private static HubInstance second;
    private static Http onFirst;
    private static Http onSecond;

    @BeforeAll
    static void start() {
        HubInstance.Deployment deployment = HubInstance.Deployment.fresh();
        first = HubInstance.start(deployment);
        second = HubInstance.start(deployment);
        onFirst = new Http(first.url(), TestTokens.admin());
        onSecond = new Http(second.url(), TestTokens.admin());
        PipelineFixture.awaitSettled(Duration.ofSeconds(90), first, second);
        Await.ready(onFirst);
        Await.ready(onSecond);
        for (int i = 0; i < INTEGRATIONS; i++) {
            Http writer = i % 2 == 0 ? onFirst : onSecond;
            expect(201, writer.post("/v1/integrations", """
                    {"name": "%s", "auth_scheme": "API_KEY",
                     "config_schema": [{"key": "base_url", "type": "string", "required": true},
                                       {"key": "api_key", "type": "secret"}]}""".formatted(name(i))));
            expect(
                    200,
                    writer.put(
                            "/v1/integrations/" + name(i) + "/defaults",
                            "{\"config\": {\"base_url\": \"https://" + i + ".example\", \"api_key\": \"sk-" + i
                                    + "\"}}"));
            expect(201, writer.put("/v1/integrations/" + name(i) + "/mappings/org-" + i, "{\"entity_id\": \"t\"}"));
        }
    }

    @AfterAll
    static void stop() {
        if (first != null) first.close();
        if (second != null) second.close();
    }

    @Test
    void shouldExportTheWholeHubFromEitherInstanceAndImportItUnchangedOnTheOther() {
        Set<Integer> owners = new TreeSet<>();
        KafkaStreams streams = PipelineFixture.streams(first);
        for (int i = 0; i < INTEGRATIONS; i++) {
            owners.add(streams.queryMetadataForKey(StoreNames.INTEGRATIONS_VIEW, name(i), new StringSerializer())
                    .activeHost()
                    .port());
        }
        assertEquals(Set.of(first.port(), second.port()), owners, "both instances own some integrations");

        JsonNode fromFirst = ok(onFirst.get("/v1/export"));
        JsonNode fromSecond = ok(onSecond.get("/v1/export"));
        assertEquals(fromFirst, fromSecond, "both instances export the same bundle");
        assertEquals(INTEGRATIONS, fromFirst.get("integrations").size(), "every integration: " + fromFirst);
        assertEquals(INTEGRATIONS, fromFirst.get("mappings").size(), "every mapping: " + fromFirst);
        assertTrue(!fromFirst.toString().contains("sk-"), "no secret default: " + fromFirst);

        JsonNode plan = ok(onSecond.post("/v1/import", fromFirst.toString()));
        plan.get("plan")
                .forEach(entry -> assertEquals(
                        "unchanged", entry.get("op").asText(), () -> "every item is as the hub holds it: " + plan));
        assertEquals(2 * INTEGRATIONS, plan.get("plan").size(), "one entry per item: " + plan);
    }

    private static String name(int i) {
        return "Exported" + i;
    }

    private static JsonNode ok(Http.Reply reply) {
        assertEquals(200, reply.status(), () -> "expected 200, got " + reply);
        return reply.json();
    }

    private static void expect(int status, Http.Reply reply) {
        assertEquals(status, reply.status(), () -> "expected " + status + ", got " + reply);
    }
}
