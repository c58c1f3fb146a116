package com.integrationshub.query.contract;

import static com.integrationshub.query.contract.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "The provider's API as a spec" of API.md through HTTP against a real broker: PUT/GET/DELETE of an integration's
 * OpenAPI document (JSON and YAML, 3.0 and 3.1), validation, size limits, storage off the events topic, history,
 * and the org's view of it (servers = the org's proxy, one bearer scheme).
 */
class ProviderSpecsContractTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** What this test lets a document be; the server reads up to 16 MiB. */
    private static final int MAX_BYTES = 6 * 1024 * 1024;
    /** hub.commands.max-record-bytes: the events topic's normal record limit. */
    private static final int MAX_RECORD_BYTES = 786432;

    static final String JSON_30 = """
            {"openapi": "3.0.3", "info": {"title": "Tickets", "version": "1"},
             "servers": [{"url": "https://api.provider.example"}],
             "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}},
             "security": [{"key": []}],
             "paths": {
               "/tickets": {"get": {"responses": {"200": {"description": "ok"}}},
                            "post": {"responses": {"201": {"description": "made"}}}},
               "/tickets/{id}": {"parameters": [{"name": "id", "in": "path", "required": true,
                                                 "schema": {"type": "string"}}],
                                 "get": {"responses": {"200": {"description": "ok"}}},
                                 "delete": {"security": [], "responses": {"204": {"description": "gone"}}}}}}
            """;

    static final String YAML_31 = """
            openapi: 3.1.0
            info:
              title: Contacts
              version: "2"
            paths:
              /contacts:
                get:
                  responses:
                    "200":
                      description: ok
                post:
                  responses:
                    "201":
                      description: made
            """;

    private static HubInstance hub;
    private static Http admin;
    private static HubInstance.Deployment deployment;

    @BeforeAll
    static void start() {
        deployment = HubInstance.Deployment.fresh(Map.of("hub.specs.max-bytes", MAX_BYTES));
        hub = HubInstance.start(deployment);
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
    }

    @Test
    void shouldStoreAJson30DocumentAndGiveItBackAsUploaded() throws IOException {
        String name = integration();

        Http.Reply put = send("PUT", "/v1/integrations/" + name + "/openapi", "application/json", JSON_30);

        assertEquals(200, put.status(), () -> "PUT: " + put);
        JsonNode summary = put.json();
        assertEquals(1, summary.get("version").asLong(), "first spec version");
        assertEquals("Tickets", summary.get("title").asText());
        assertEquals(4, summary.get("operations").asInt(), "path + method pairs");
        Http.Reply get = admin.get("/v1/integrations/" + name + "/openapi");
        assertEquals(200, get.status(), () -> "GET: " + get);
        assertTrue(get.contentType().startsWith("application/json"), get.contentType());
        assertEquals(JSON.readTree(JSON_30), get.json(), "the document as uploaded");
    }

    @Test
    void shouldStoreAYaml31DocumentAsJsonAndCountVersions() throws IOException {
        String name = integration();

        Http.Reply first = send("PUT", "/v1/integrations/" + name + "/openapi", "application/yaml", YAML_31);
        Http.Reply second = send("PUT", "/v1/integrations/" + name + "/openapi", "application/json", JSON_30);

        assertEquals(200, first.status(), () -> "PUT yaml: " + first);
        assertEquals(1, first.json().get("version").asLong());
        assertEquals("Contacts", first.json().get("title").asText());
        assertEquals(2, first.json().get("operations").asInt());
        assertEquals(200, second.status(), () -> "PUT json: " + second);
        assertEquals(2, second.json().get("version").asLong(), "each new document has the next spec version");
        assertEquals(
                JSON.readTree(JSON_30),
                admin.get("/v1/integrations/" + name + "/openapi").json());

        String other = integration();
        send("PUT", "/v1/integrations/" + other + "/openapi", "application/yaml", YAML_31);
        JsonNode yamlAsJson =
                admin.get("/v1/integrations/" + other + "/openapi").json();
        assertEquals("3.1.0", yamlAsJson.get("openapi").asText());
        assertEquals(
                "made",
                yamlAsJson
                        .at("/paths/~1contacts/post/responses/201/description")
                        .asText());
    }

    @Test
    void shouldRefuseAnInvalidDocumentWith422AndTheParsersMessages() {
        String name = integration();

        Http.Reply reply = send(
                "PUT",
                "/v1/integrations/" + name + "/openapi",
                "application/json",
                "{\"openapi\": \"3.0.3\", \"paths\": {\"/a\": {\"get\": {\"responses\": 7}}}}");

        JsonNode problem = assertProblem(reply, 422, "validation-failed");
        assertFalse(problem.path("errors").isEmpty(), "the parser's messages: " + problem);
        assertTrue(problem.toString().contains("info"), "names the missing info: " + problem);
        assertEquals(404, admin.get("/v1/integrations/" + name + "/openapi").status(), "nothing stored");
    }

    @Test
    void shouldAnswer413ToADocumentOverItsLimit() {
        String name = integration();
        String big = generated(MAX_BYTES + 1024);

        Http.Reply reply = send("PUT", "/v1/integrations/" + name + "/openapi", "application/json", big);

        assertEquals(413, reply.status(), () -> "status " + reply.status());
    }

    @Test
    void shouldRoundTripAMultiMegabyteDocumentWithoutBigRecordsOnTheEventsTopic() throws Exception {
        String name = integration();
        String big = generated(3 * 1024 * 1024);

        Http.Reply put = send("PUT", "/v1/integrations/" + name + "/openapi", "application/json", big);

        assertEquals(200, put.status(), () -> "PUT: " + put.status() + " " + put.body());
        Http.Reply get = admin.get("/v1/integrations/" + name + "/openapi");
        assertEquals(200, get.status());
        assertEquals(JSON.readTree(big), get.json(), "the multi-MB document as uploaded");
        BrokerTopics topics = new BrokerTopics(HubTestCluster.shared().bootstrapServers());
        for (BrokerTopics.RawRecord record : topics.read(deployment.eventsTopic())) {
            assertTrue(
                    record.value() == null || record.value().length <= MAX_RECORD_BYTES,
                    "an events record of " + record.value().length + " bytes");
        }
    }

    @Test
    void shouldDeleteTheDocumentAndRecordSpecChangesInTheHistory() throws Exception {
        String name = integration();
        send("PUT", "/v1/integrations/" + name + "/openapi", "application/json", JSON_30);
        String digest = sha256(JSON.writeValueAsBytes(JSON.readTree(JSON_30)));

        Http.Reply deleted = admin.delete("/v1/integrations/" + name + "/openapi");

        assertEquals(204, deleted.status(), () -> "DELETE: " + deleted);
        assertProblem(admin.get("/v1/integrations/" + name + "/openapi"), 404, "not-found");
        assertProblem(admin.delete("/v1/integrations/" + name + "/openapi"), 404, "not-found");
        JsonNode history = admin.get("/v1/integrations/" + name + "/history").json();
        List<String> types = new ArrayList<>();
        history.forEach(e -> types.add(e.get("type").asText()));
        assertEquals(List.of("IntegrationCreated", "IntegrationSpecSet", "IntegrationSpecRemoved"), types);
        JsonNode set = history.get(1).get("data");
        assertEquals(1, set.get("spec_version").asLong());
        assertEquals(digest, set.get("spec_digest").asText(), "the digest of the stored JSON");
        assertEquals(digest, history.get(2).get("data").get("spec_digest").asText());
    }

    @Test
    void shouldServeTheOrgsViewWithItsProxyAndTheHubBearerScheme() {
        String name = integration();
        send("PUT", "/v1/integrations/" + name + "/openapi", "application/json", JSON_30);
        Http org = new Http(hub.url(), TestTokens.org("org-1"));

        Http.Reply reply = org.get("/v1/orgs/org-1/integrations/" + name + "/openapi");

        assertEquals(200, reply.status(), () -> "GET: " + reply);
        JsonNode view = reply.json();
        assertEquals(1, view.get("servers").size());
        assertEquals(
                hub.url() + "/v1/orgs/org-1/integrations/" + name + "/proxy",
                view.at("/servers/0/url").asText());
        JsonNode schemes = view.at("/components/securitySchemes");
        assertEquals(1, schemes.size(), "only the hub's scheme: " + schemes);
        assertEquals("bearer", schemes.elements().next().get("scheme").asText());
        String scheme = schemes.fieldNames().next();
        for (String op : List.of("/paths/~1tickets/get", "/paths/~1tickets~1{id}/delete")) {
            assertTrue(view.at(op + "/security/0").has(scheme), op + ": " + view.at(op));
        }
        assertEquals(
                200,
                admin.get("/v1/orgs/org-1/integrations/" + name + "/openapi").status(),
                "admin may too");
    }

    @Test
    void shouldRefuseAnotherOrgsTokenAndANonAdminUpload() {
        String name = integration();
        send("PUT", "/v1/integrations/" + name + "/openapi", "application/json", JSON_30);
        Http orgTwo = new Http(hub.url(), TestTokens.org("org-2"));

        assertEquals(
                403,
                orgTwo.get("/v1/orgs/org-1/integrations/" + name + "/openapi").status());
        Http.Reply put = request(
                TestTokens.org("org-1"), "PUT", "/v1/integrations/" + name + "/openapi", "application/json", JSON_30);
        assertEquals(403, put.status(), () -> "org token PUT: " + put);
    }

    @Test
    void shouldStayUpAfterHostileYamlDocuments() {
        String name = integration();
        String laughs = """
                openapi: 3.0.0
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
                i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
                """;
        StringBuilder chain = new StringBuilder("openapi: 3.0.0\nl0: &l0 [x, x]\n");
        for (int i = 1; i < 40; i++) chain.append("l" + i + ": &l" + i + " [*l" + (i - 1) + ", *l" + (i - 1) + "]\n");
        String deep = "openapi: 3.0.0\nx: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";
        String deepMaps = "openapi: 3.0.0\n" + "a:\n".repeat(1) + nestedMaps(1000);

        for (String hostile : List.of(laughs, chain.toString(), deep, deepMaps)) {
            Http.Reply reply = send("PUT", "/v1/integrations/" + name + "/openapi", "application/yaml", hostile);
            assertProblem(reply, 422, "validation-failed");
            assertTrue(reply.body().length() < 20_000, "the problem does not echo the input");
        }

        assertEquals(200, admin.get("/v1/integrations/" + name).status(), "the service still answers");
        assertEquals(
                200,
                send("PUT", "/v1/integrations/" + name + "/openapi", "application/yaml", YAML_31)
                        .status());
    }

    private static String nestedMaps(int depth) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < depth; i++) yaml.append(" ".repeat(i + 1)).append("k:\n");
        return yaml.toString();
    }

    /** A valid 3.0 document of about {@code bytes} bytes: many operations with long descriptions. */
    private static String generated(int bytes) {
        StringBuilder paths = new StringBuilder();
        String description = "d".repeat(900);
        int n = 0;
        while (paths.length() < bytes) {
            if (n > 0) paths.append(',');
            paths.append("\"/r")
                    .append(n++)
                    .append("\": {\"get\": {\"description\": \"")
                    .append(description)
                    .append("\", \"responses\": {\"200\": {\"description\": \"ok\"}}}}");
        }
        return "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"Big\", \"version\": \"1\"}, \"paths\": {" + paths
                + "}}";
    }

    private static String integration() {
        String name = "Spec" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime() % 100000;
        assertEquals(
                201,
                admin.post("/v1/integrations", "{\"name\": \"%s\", \"auth_scheme\": \"API_KEY\"}".formatted(name))
                        .status());
        return name;
    }

    private static Http.Reply send(String method, String path, String contentType, String body) {
        return request(TestTokens.admin(), method, path, contentType, body);
    }

    // Http sets Content-Type: application/json itself; a YAML upload needs its own.
    private static Http.Reply request(String token, String method, String path, String contentType, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(hub.url() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Http.Reply(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("ETag").orElse(null),
                    response.body(),
                    response.headers().map());
        } catch (IOException e) {
            // A server that refuses an oversize body may close the connection while it is still being sent.
            return new Http.Reply(-1, "", null, e.toString(), Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
