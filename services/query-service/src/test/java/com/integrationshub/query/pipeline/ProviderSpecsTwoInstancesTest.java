package com.integrationshub.query.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Providers' OpenAPI documents with two instances: whichever instance is asked, and whichever owns the integration's
 * partition, a document uploaded through one is served by both (the specs topic's global store is on every instance;
 * the integration's state is read where it lives, locally or forwarded).
 */
class ProviderSpecsTwoInstancesTest {

    private static final int INTEGRATIONS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

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
    }

    @AfterAll
    static void stop() {
        if (first != null) first.close();
        if (second != null) second.close();
    }

    @Test
    void shouldServeEveryDocumentFromBothInstancesWhoeverOwnsTheIntegration() throws Exception {
        for (int i = 0; i < INTEGRATIONS; i++) {
            String name = "TwoSpec" + i;
            Http writer = i % 2 == 0 ? onFirst : onSecond;
            assertEquals(
                    201,
                    writer.post("/v1/integrations", "{\"name\": \"%s\", \"auth_scheme\": \"NO_AUTH\"}".formatted(name))
                            .status());
            String document = document(name);

            Http.Reply put = writer.put("/v1/integrations/" + name + "/openapi", document);

            assertEquals(200, put.status(), () -> name + ": " + put);
            assertEquals(1, put.json().get("version").asLong(), name + " spec version");
            assertEquals(1, put.json().get("operations").asInt(), name + " operations");
            JsonNode expected = JSON.readTree(document);
            for (Http reader : new Http[] {onFirst, onSecond}) {
                Http.Reply get = reader.get("/v1/integrations/" + name + "/openapi");
                assertEquals(200, get.status(), () -> name + ": " + get);
                assertEquals(expected, get.json(), name);
                Http.Reply org = reader.get("/v1/orgs/org-1/integrations/" + name + "/openapi");
                assertEquals(200, org.status(), () -> name + ": " + org);
                assertEquals(
                        reader == onFirst ? first.url() : second.url(),
                        org.json()
                                .at("/servers/0/url")
                                .asText()
                                .replace("/v1/orgs/org-1/integrations/" + name + "/proxy", ""),
                        "the proxy URL is on the instance asked (hub.public-url not set)");
            }
        }
    }

    private static String document(String name) {
        return """
                {"openapi": "3.0.3", "info": {"title": "%s", "version": "1"},
                 "paths": {"/things": {"get": {"responses": {"200": {"description": "ok"}}}}}}""".formatted(name);
    }
}
