package com.integrationshub.query.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Providers' OpenAPI documents with two instances: whichever instance is asked, and whichever owns the integration's
 * partition, a document uploaded through one is served by both (the specs topic's global store is on every instance;
 * the integration's state is read where it lives, locally or forwarded); an org's SDK likewise, generated where the
 * integration lives with the asked instance's proxy URL.
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

    @Test
    void shouldServeAnSdkFromBothInstancesWithTheAskedInstancesProxy() throws Exception {
        for (int i = 0; i < INTEGRATIONS / 2; i++) {
            String name = "TwoSdk" + i;
            Http writer = i % 2 == 0 ? onFirst : onSecond;
            writer.post("/v1/integrations", "{\"name\": \"%s\", \"auth_scheme\": \"NO_AUTH\"}".formatted(name));
            Http.Reply put = writer.put("/v1/integrations/" + name + "/openapi", document(name));
            assertEquals(200, put.status(), () -> name + ": " + put);
            for (HubInstance asked : new HubInstance[] {first, second}) {
                HttpResponse<byte[]> zip = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(
                                                asked.url() + "/v1/orgs/org-1/integrations/" + name + "/sdk/python"))
                                        .header("Authorization", "Bearer " + TestTokens.org("org-1"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, zip.statusCode(), () -> name + ": " + new String(zip.body(), StandardCharsets.UTF_8));
                String configuration = entry(zip.body(), "configuration.py");
                assertTrue(
                        configuration.contains(asked.url() + "/v1/orgs/org-1/integrations/" + name + "/proxy"),
                        name + ": the SDK's host is the proxy on the instance asked");
            }
        }
    }

    private static String entry(byte[] zip, String suffix) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().endsWith(suffix)) return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no " + suffix + " in the zip");
    }

    private static String document(String name) {
        return """
                {"openapi": "3.0.3", "info": {"title": "%s", "version": "1"},
                 "paths": {"/things": {"get": {"responses": {"200": {"description": "ok"}}}}}}""".formatted(name);
    }
}
