package com.integrationshub.query.pipeline;

import static com.integrationshub.query.pipeline.PipelineFixture.defaultsBody;
import static com.integrationshub.query.pipeline.PipelineFixture.integrationBody;
import static com.integrationshub.query.pipeline.PipelineFixture.mappingBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A defaults change of an integration mapped by 1,000 orgs reaches every org's view by the time the PUT answers. */
class DefaultsFanOutTest {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultsFanOutTest.class);
    private static final int ORGS = 1_000;
    private static final int PARALLELISM = 16;

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
    void shouldShowNewDefaultsInEveryMappedOrgsViewAsSoonAsThePutAnswersWhileOverridesStillWin() {
        assertEquals(201, admin.post("/v1/integrations", integrationBody("Fan")).status());
        Http.Reply first = admin.put(
                "/v1/integrations/Fan/defaults",
                defaultsBody(Map.of("base_url", "https://v1.example", "timeout", 10, "tier", "free")));
        assertEquals(200, first.status(), first.toString());

        long mappingStart = System.nanoTime();
        List<Http.Reply> mapped = PipelineFixture.bounded(
                PARALLELISM,
                IntStream.range(0, ORGS)
                        .<Callable<Http.Reply>>mapToObj(i -> () -> admin.put(
                                "/v1/integrations/Fan/mappings/" + org(i), mappingBody("tenant-" + i, overrides(i))))
                        .toList());
        long mappingMillis = (System.nanoTime() - mappingStart) / 1_000_000;
        List<String> notCreated = new ArrayList<>();
        for (int i = 0; i < ORGS; i++) if (mapped.get(i).status() != 201) notCreated.add(org(i) + " " + mapped.get(i));
        assertTrue(
                notCreated.isEmpty(),
                "expected 201 for every one of " + ORGS + " mappings, got " + notCreated.size()
                        + " other answers, first: "
                        + notCreated.stream().limit(3).toList());

        Http.Reply changed = admin.put(
                "/v1/integrations/Fan/defaults",
                defaultsBody(
                        Map.of("base_url", "https://v2.example", "timeout", 99, "tier", "pro", "api_key", "sk-v2")));
        assertEquals(200, changed.status(), changed.toString());
        assertEquals(
                "\"3\"", changed.etag(), "expected the integration at version 3 after two defaults, got " + changed);

        long readStart = System.nanoTime();
        List<Http.Reply> views = PipelineFixture.bounded(
                PARALLELISM,
                IntStream.range(0, ORGS)
                        .<Callable<Http.Reply>>mapToObj(
                                i -> () -> admin.get("/v1/orgs/" + org(i) + "/integrations/Fan"))
                        .toList());
        long readMillis = (System.nanoTime() - readStart) / 1_000_000;
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < ORGS; i++) {
            String problem = check(i, views.get(i));
            if (problem != null) wrong.add(problem);
        }
        LOG.info(
                "{} mappings written in {} ms ({} at a time); {} org views read in {} ms after the defaults change",
                ORGS,
                mappingMillis,
                PARALLELISM,
                ORGS,
                readMillis);
        assertTrue(
                wrong.isEmpty(),
                "expected every org's view to show the new defaults under its own overrides; " + wrong.size() + " of "
                        + ORGS + " did not, first: " + wrong.stream().limit(5).toList());
    }

    /** What is wrong with org i's view, or null when it shows the new defaults under the org's overrides. */
    private static String check(int i, Http.Reply view) {
        if (view.status() != 200) return org(i) + ": expected 200, got " + view;
        JsonNode config = view.json().path("config");
        Map<String, Object> expected = new HashMap<>();
        expected.put("base_url", "https://v2.example");
        expected.put("timeout", i);
        expected.put("tier", i % 2 == 0 ? "gold-" + i : "pro");
        expected.put("api_key", "sk-v2");
        Map<String, Object> actual = new HashMap<>();
        actual.put("base_url", config.path("base_url").asText(null));
        actual.put(
                "timeout",
                config.path("timeout").isInt() ? config.path("timeout").asInt() : null);
        actual.put("tier", config.path("tier").asText(null));
        actual.put("api_key", config.path("api_key").asText(null));
        if (!expected.equals(actual)) return org(i) + ": expected config " + expected + ", got " + config;
        if (!Objects.equals("tenant-" + i, view.json().path("entity_id").asText(null))) {
            return org(i) + ": expected entity_id tenant-" + i + ", got "
                    + view.json().path("entity_id");
        }
        if (view.json().path("version").asLong() != 4) {
            return org(i) + ": expected version 4 (integration 3 + mapping 1), got "
                    + view.json().path("version");
        }
        return null;
    }

    /** Every org overrides the timeout; every other org overrides the tier as well. */
    private static Map<String, Object> overrides(int i) {
        return i % 2 == 0 ? Map.of("timeout", i, "tier", "gold-" + i) : Map.of("timeout", i);
    }

    private static String org(int i) {
        return "org-%04d".formatted(i);
    }
}
