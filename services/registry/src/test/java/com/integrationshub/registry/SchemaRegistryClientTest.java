package com.integrationshub.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against canned answers in the shapes of Confluent's documentation, served by a tiny HTTP server, to see
 * exactly which requests it sends and how it reads errors.
 */
class SchemaRegistryClientTest {

    private static final Schema PROBE = ProbeRecord.schema("[{\"name\":\"id\",\"type\":\"string\"}]");

    private record Request(String method, String path, String contentType, String body) {}

    private record Canned(int status, String body) {}

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Canned> answers = new java.util.concurrent.ConcurrentHashMap<>();
    private HttpServer server;
    private String url;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    body));
            final Canned canned = answers.getOrDefault(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath(),
                    new Canned(404, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}"));
            final byte[] bytes = canned.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(canned.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void shouldPostSchemaAsJsonStringAndCacheTheId() throws Exception {
        answers.put("POST /subjects/events-com.integrationshub.test.Probe/versions", new Canned(200, "{\"id\":7}"));
        final SchemaRegistryClient client = new SchemaRegistryClient(url + "/");

        assertEquals(7, client.register("events-com.integrationshub.test.Probe", PROBE));
        assertEquals(7, client.register("events-com.integrationshub.test.Probe", PROBE));

        assertEquals(
                1, requests.size(), "second registration of the same schema must come from the cache: " + requests);
        final Request request = requests.get(0);
        assertEquals("application/vnd.schemaregistry.v1+json", request.contentType());
        final var body = new ObjectMapper().readTree(request.body());
        assertEquals(1, body.size(), "body has only \"schema\": " + request.body());
        assertEquals(PROBE, new Schema.Parser().parse(body.get("schema").asText()));
        assertEquals(PROBE, client.schemaById(7), "a registered schema is known by its id without asking");
        assertEquals(1, requests.size());
    }

    @Test
    void shouldEncodeSubjectInPath() {
        answers.put("POST /subjects/a%20b%2Fc/versions", new Canned(200, "{\"id\":3}"));
        assertEquals(3, new SchemaRegistryClient(url).register("a b/c", PROBE));
    }

    @Test
    void shouldFetchSchemaByIdOnceAndParseIt() {
        answers.put("GET /schemas/ids/12", new Canned(200, "{\"schema\":" + quoted(PROBE.toString()) + "}"));
        final SchemaRegistryClient client = new SchemaRegistryClient(url);

        assertEquals(PROBE, client.schemaById(12));
        assertEquals(PROBE, client.schemaById(12));
        assertEquals(1, requests.size(), requests.toString());
    }

    @Test
    void shouldReportIncompatibleSchemaWithStatusErrorCodeAndSubject() {
        answers.put(
                "POST /subjects/events-com.integrationshub.test.Probe/versions",
                new Canned(
                        409,
                        "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an earlier schema\"}"));
        final SchemaRegistryClient client = new SchemaRegistryClient(url);

        final SchemaRegistryException e = assertThrows(
                SchemaRegistryException.class, () -> client.register("events-com.integrationshub.test.Probe", PROBE));

        assertEquals(409, e.status());
        assertEquals(409, e.errorCode());
        assertTrue(
                e.getMessage()
                        .contains("incompatible with the earlier versions of subject "
                                + "'events-com.integrationshub.test.Probe'"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("Schema being registered is incompatible"),
                "keeps the registry's words: " + e.getMessage());
    }

    @Test
    void shouldReportUnknownSchemaIdWith40403() {
        answers.put("GET /schemas/ids/99", new Canned(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}"));

        final SchemaRegistryException e =
                assertThrows(SchemaRegistryException.class, () -> new SchemaRegistryClient(url).schemaById(99));

        assertEquals(404, e.status());
        assertEquals(40403, e.errorCode());
        assertTrue(
                e.getMessage().contains("Schema id 99 not found")
                        && e.getMessage().contains("Schema not found"),
                e.getMessage());
    }

    @Test
    void shouldReportInvalidSchemaWith42201() {
        answers.put(
                "POST /subjects/s/versions", new Canned(422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}"));

        final SchemaRegistryException e =
                assertThrows(SchemaRegistryException.class, () -> new SchemaRegistryClient(url).register("s", PROBE));

        assertEquals(422, e.status());
        assertEquals(42201, e.errorCode());
        assertTrue(e.getMessage().contains("subject 's'") && e.getMessage().contains("Invalid schema"), e.getMessage());
    }

    @Test
    void shouldReportAnswerWithoutJsonBodyWithItsStatusAndNoErrorCode() {
        answers.put("GET /schemas/ids/5", new Canned(502, "<html>Bad Gateway</html>"));

        final SchemaRegistryException e =
                assertThrows(SchemaRegistryException.class, () -> new SchemaRegistryClient(url).schemaById(5));

        assertEquals(502, e.status());
        assertEquals(SchemaRegistryException.NONE, e.errorCode());
        assertTrue(e.getMessage().contains("Bad Gateway"), e.getMessage());
    }

    @Test
    void shouldRefuseNonAvroSchema() {
        answers.put(
                "GET /schemas/ids/6",
                new Canned(200, "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}"));

        final SchemaRegistryException e =
                assertThrows(SchemaRegistryException.class, () -> new SchemaRegistryClient(url).schemaById(6));

        assertTrue(e.getMessage().contains("PROTOBUF"), e.getMessage());
    }

    @Test
    void shouldReportUnreachableRegistryWithoutStatus() throws IOException {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        final SchemaRegistryClient client = new SchemaRegistryClient(
                "http://127.0.0.1:" + closedPort, Duration.ofSeconds(1), Duration.ofSeconds(1));

        final SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.schemaById(1));

        assertEquals(SchemaRegistryException.NONE, e.status());
        assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
    }

    @Test
    void shouldBeConfigurableTheKafkaWay() {
        final SchemaRegistryClient client = SchemaRegistryClient.fromConfig(Map.of(
                SchemaRegistryClient.REGISTRY_URL_CONFIG, url, SchemaRegistryClient.REQUEST_TIMEOUT_MS_CONFIG, "2000"));
        assertEquals(url, client.baseUrl());

        final ConfigException missing =
                assertThrows(ConfigException.class, () -> SchemaRegistryClient.fromConfig(Map.of()));
        assertTrue(missing.getMessage().contains("registry.url"), missing.getMessage());
        assertThrows(
                ConfigException.class,
                () -> SchemaRegistryClient.fromConfig(Map.of(
                        SchemaRegistryClient.REGISTRY_URL_CONFIG,
                        url,
                        SchemaRegistryClient.CONNECT_TIMEOUT_MS_CONFIG,
                        "soon")));
    }

    private static String quoted(String text) {
        try {
            return new ObjectMapper().writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
