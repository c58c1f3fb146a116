package com.integrationshub.query.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.integrationshub.registry.SchemaRegistryClient;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * The two calls of the Confluent registry API the serde makes (register a schema, look one up by id), kept in
 * memory on a loopback port: the topology tests run the real {@link SchemaRegistryClient} and Avro serde, with
 * their wire format and their failure on an unknown id, without a broker (LocalSchemaRegistry keeps its schemas
 * in a Kafka topic).
 */
final class SchemaRegistryStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final HttpServer server;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<String, Integer> idsBySchema = new ConcurrentHashMap<>();
    private final Map<Integer, String> schemasById = new ConcurrentHashMap<>();
    private final SchemaRegistryClient topologyClient;
    private final SchemaRegistryClient testClient;

    private SchemaRegistryStandIn(HttpServer server) {
        this.server = server;
        this.topologyClient = newClient();
        this.testClient = newClient();
    }

    /** Starts a registry on a free loopback port. */
    static SchemaRegistryStandIn start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            SchemaRegistryStandIn registry = new SchemaRegistryStandIn(server);
            server.createContext("/", registry::handle);
            server.start();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The client the topologies under test use; one for every test of a class, so a schema is registered and looked
     * up once (its cache, as in a running service, outlives a topology).
     */
    SchemaRegistryClient topologyClient() {
        return topologyClient;
    }

    /** The client the tests' own serializers use: the topology's deserializers look its schemas up by id. */
    SchemaRegistryClient testClient() {
        return testClient;
    }

    private SchemaRegistryClient newClient() {
        return new SchemaRegistryClient(
                "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if ("POST".equals(exchange.getRequestMethod())
                    && path.startsWith("/subjects/")
                    && path.endsWith("/versions")) {
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                // Same schema, same id, whatever the subject (as in Confluent's registry).
                String schema =
                        new Schema.Parser().parse(body.path("schema").asText()).toString();
                int id = idsBySchema.computeIfAbsent(schema, s -> {
                    int next = nextId.getAndIncrement();
                    schemasById.put(next, s);
                    return next;
                });
                answer(exchange, 200, Map.of("id", id));
            } else if ("GET".equals(exchange.getRequestMethod()) && path.startsWith("/schemas/ids/")) {
                String schema = schemasById.get(Integer.parseInt(path.substring("/schemas/ids/".length())));
                if (schema == null) answer(exchange, 404, Map.of("error_code", 40403, "message", "Schema not found"));
                else answer(exchange, 200, Map.of("schema", schema));
            } else {
                answer(exchange, 404, Map.of("error_code", 404, "message", "not served by the stand-in"));
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
