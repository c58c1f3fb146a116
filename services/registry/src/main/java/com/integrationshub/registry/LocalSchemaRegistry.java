package com.integrationshub.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small schema registry serving the subset of the Confluent Schema Registry REST API this project uses, for the
 * local run and the tests; production points at a real registry instead.
 *
 * <p>Serves {@code POST /subjects/{s}/versions}, {@code GET /schemas/ids/{id}}, {@code GET /subjects},
 * {@code GET /subjects/{s}/versions[/{v}|/latest]}, {@code GET|PUT /config[/{s}]} and
 * {@code POST /compatibility/subjects/{s}/versions[/{v}|/latest]} with Confluent's JSON shapes, content type and
 * error codes. Compatibility (default BACKWARD) is checked with Avro's {@code SchemaCompatibility}. Schemas and
 * configs are kept in a compacted Kafka topic ({@value #DEFAULT_TOPIC} by default) that is replayed at start, so ids
 * and versions survive restarts; every change is acknowledged by Kafka before it is answered. Run one instance per
 * topic: it is the topic's only writer. Started with credentials, it answers every request without them (HTTP basic
 * auth) with 401 and Confluent's error code 40101, as a managed registry does.
 */
public final class LocalSchemaRegistry implements AutoCloseable {

    /** The topic schemas and configs are kept in unless another is given. */
    public static final String DEFAULT_TOPIC = "_schemas";
    /** The address the HTTP server binds to unless another is given. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private static final Logger LOG = LoggerFactory.getLogger(LocalSchemaRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HTTP_THREADS = 4;

    private final HttpServer server;
    private final ExecutorService executor;
    private final SchemaStore store;
    private final String url;
    private final String expectedAuthorization;

    private LocalSchemaRegistry(
            HttpServer server,
            ExecutorService executor,
            SchemaStore store,
            String url,
            SchemaRegistryClient.BasicAuth required) {
        this.server = server;
        this.executor = executor;
        this.store = store;
        this.url = url;
        this.expectedAuthorization = required == null ? null : required.header();
    }

    /** Starts a registry on {@value #DEFAULT_HOST} at a free port, keeping schemas in {@value #DEFAULT_TOPIC}. */
    public static LocalSchemaRegistry start(String bootstrapServers) {
        return start(bootstrapServers, DEFAULT_HOST, 0);
    }

    /**
     * Starts a registry on {@code host:port} (host null = {@value #DEFAULT_HOST}, port 0 = a free port), keeping
     * schemas in {@value #DEFAULT_TOPIC} with replication factor 1; returns once the topic is read and it serves.
     */
    public static LocalSchemaRegistry start(String bootstrapServers, String host, int port) {
        return start(bootstrapServers, host, port, DEFAULT_TOPIC, (short) 1);
    }

    /**
     * Starts a registry on {@code host:port} (host null = {@value #DEFAULT_HOST}, port 0 = a free port), keeping
     * schemas in {@code topic}, created with {@code replicationFactor} when missing; returns once the topic is read
     * and it serves.
     */
    public static LocalSchemaRegistry start(
            String bootstrapServers, String host, int port, String topic, short replicationFactor) {
        return start(bootstrapServers, host, port, topic, replicationFactor, null);
    }

    /**
     * Starts a registry as {@link #start(String, String, int, String, short)} does that takes only requests carrying
     * {@code required} (HTTP basic auth; null: every request).
     */
    public static LocalSchemaRegistry start(
            String bootstrapServers,
            String host,
            int port,
            String topic,
            short replicationFactor,
            SchemaRegistryClient.BasicAuth required) {
        final String bindHost = host == null || host.isBlank() ? DEFAULT_HOST : host;
        final SchemasTopic schemasTopic = SchemasTopic.open(bootstrapServers, topic, replicationFactor);
        final SchemaStore store;
        try {
            store = SchemaStore.load(schemasTopic);
        } catch (RuntimeException e) {
            schemasTopic.close();
            throw e;
        }
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bindHost, port), 50);
        } catch (IOException e) {
            store.close();
            throw new UncheckedIOException("cannot listen on " + bindHost + ":" + port, e);
        }
        final ExecutorService executor = Executors.newFixedThreadPool(HTTP_THREADS, daemonThreads());
        server.setExecutor(executor);
        final String hostInUrl = bindHost.contains(":") ? "[" + bindHost + "]" : bindHost;
        final LocalSchemaRegistry registry = new LocalSchemaRegistry(
                server,
                executor,
                store,
                "http://" + hostInUrl + ":" + server.getAddress().getPort(),
                required);
        server.createContext("/", registry::handle);
        server.start();
        LOG.info(
                "Schema registry listening on {} ({} schemas from topic {})", registry.url, store.schemaCount(), topic);
        return registry;
    }

    /** Returns the base URL clients use, e.g. {@code http://127.0.0.1:8081}. */
    public String url() {
        return url;
    }

    /** Returns the port the registry listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops serving and closes the topic's producer. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
        LOG.info("Schema registry on {} stopped", url);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Answer answer;
            try {
                answer = authorized(exchange) ? route(exchange) : error(401, 40101, "Unauthorized");
            } catch (ApiError e) {
                answer = error(e.status(), e.errorCode(), e.getMessage());
            } catch (JsonProcessingException e) {
                answer = error(400, 400, "Bad Request: the body is not valid JSON: " + e.getOriginalMessage());
            } catch (RuntimeException e) {
                LOG.warn("Schema registry failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                answer = error(500, 50001, "Error in the schema registry: " + e);
            }
            final byte[] body = JSON.writeValueAsBytes(answer.body());
            exchange.getResponseHeaders().set("Content-Type", SchemaRegistryClient.CONTENT_TYPE);
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private record Answer(int status, Object body) {}

    private boolean authorized(HttpExchange exchange) {
        if (expectedAuthorization == null) {
            return true;
        }
        final String given = exchange.getRequestHeaders().getFirst("Authorization");
        return given != null
                && MessageDigest.isEqual(
                        given.getBytes(StandardCharsets.UTF_8), expectedAuthorization.getBytes(StandardCharsets.UTF_8));
    }

    private Answer route(HttpExchange exchange) throws IOException {
        final String method = exchange.getRequestMethod();
        final List<String> path = segments(exchange.getRequestURI().getRawPath());
        final Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        final int size = path.size();
        final String first = size > 0 ? path.get(0) : "";
        if (size == 0) {
            return only(method, "GET", () -> ok(Map.of()));
        }
        if (first.equals("subjects") && size == 1) {
            return only(method, "GET", () -> ok(store.subjects()));
        }
        if (first.equals("subjects") && size == 3 && path.get(2).equals("versions")) {
            final String subject = path.get(1);
            if (method.equals("POST")) {
                return register(subject, readBody(exchange));
            }
            return only(method, "GET", () -> ok(store.versions(subject)));
        }
        if (first.equals("subjects") && size == 4 && path.get(2).equals("versions")) {
            return only(method, "GET", () -> ok(versionBody(store.version(path.get(1), version(path.get(3))))));
        }
        if (first.equals("schemas") && size == 3 && path.get(1).equals("ids")) {
            return only(method, "GET", () -> {
                final int id = schemaId(path.get(2));
                return ok(Map.of("schema", store.schemaById(id).orElseThrow(() -> ApiError.schemaNotFound(id))));
            });
        }
        if (first.equals("config") && (size == 1 || size == 2)) {
            final Optional<String> subject = size == 2 ? Optional.of(path.get(1)) : Optional.empty();
            if (method.equals("PUT")) {
                return setConfig(subject, readBody(exchange));
            }
            return only(method, "GET", () -> getConfig(subject, "true".equalsIgnoreCase(query.get("defaultToGlobal"))));
        }
        if (first.equals("compatibility")
                && (size == 4 || size == 5)
                && path.get(1).equals("subjects")
                && path.get(3).equals("versions")) {
            if (!method.equals("POST")) {
                return methodNotAllowed();
            }
            final String schema = schemaText(readBody(exchange));
            final List<String> problems = size == 4
                    ? store.checkAgainstAll(path.get(2), schema)
                    : store.checkAgainst(path.get(2), schema, version(path.get(4)));
            final Map<String, Object> body = new LinkedHashMap<>();
            body.put("is_compatible", problems.isEmpty());
            if ("true".equalsIgnoreCase(query.get("verbose"))) {
                body.put("messages", problems);
            }
            return ok(body);
        }
        return error(404, 404, "HTTP 404 Not Found");
    }

    private Answer register(String subject, JsonNode body) {
        final SchemaStore.Registration registration = store.register(subject, schemaText(body));
        return ok(Map.of("id", registration.id()));
    }

    private Answer getConfig(Optional<String> subject, boolean defaultToGlobal) {
        if (subject.isEmpty()) {
            return ok(Map.of("compatibilityLevel", store.globalLevel().name()));
        }
        final Optional<CompatibilityLevel> own = store.subjectLevel(subject.get());
        if (own.isPresent()) {
            return ok(Map.of("compatibilityLevel", own.get().name()));
        }
        if (defaultToGlobal) {
            return ok(Map.of("compatibilityLevel", store.globalLevel().name()));
        }
        throw new ApiError(
                404,
                ApiError.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED,
                "Subject '" + subject.get() + "' does not have subject-level compatibility configured");
    }

    private Answer setConfig(Optional<String> subject, JsonNode body) {
        final JsonNode requested = body.get("compatibility");
        final String name = requested == null || requested.isNull() ? null : requested.asText();
        final CompatibilityLevel level = CompatibilityLevel.parse(name)
                .orElseThrow(() -> ApiError.invalidCompatibilityLevel(String.valueOf(name)));
        store.setLevel(subject, level);
        return ok(Map.of("compatibility", level.name()));
    }

    private static String schemaText(JsonNode body) {
        final JsonNode type = body.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw ApiError.invalidSchema("schema type " + type.asText() + " is not supported, only AVRO");
        }
        final JsonNode references = body.get("references");
        if (references != null && references.isArray() && !references.isEmpty()) {
            throw ApiError.invalidSchema("schema references are not supported");
        }
        final JsonNode schema = body.get("schema");
        if (schema == null || !schema.isTextual() || schema.asText().isBlank()) {
            throw ApiError.invalidSchema("empty schema: the body needs a \"schema\" string");
        }
        return schema.asText();
    }

    private static Map<String, Object> versionBody(SchemaStore.SubjectVersion version) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", version.subject());
        body.put("version", version.version());
        body.put("id", version.id());
        body.put("schema", version.schema());
        return body;
    }

    /** Returns the version number in a path segment, empty for the latest. */
    private static Optional<Integer> version(String segment) {
        if (segment.equals("latest") || segment.equals("-1")) {
            return Optional.empty();
        }
        try {
            final int version = Integer.parseInt(segment);
            if (version < 1) {
                throw ApiError.invalidVersion(segment);
            }
            return Optional.of(version);
        } catch (NumberFormatException e) {
            throw ApiError.invalidVersion(segment);
        }
    }

    private static int schemaId(String segment) {
        try {
            return Integer.parseInt(segment);
        } catch (NumberFormatException e) {
            throw new ApiError(404, ApiError.SCHEMA_NOT_FOUND, "Schema " + segment + " not found");
        }
    }

    private static JsonNode readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            final byte[] bytes = in.readAllBytes();
            final JsonNode body = bytes.length == 0 ? null : JSON.readTree(bytes);
            if (body == null || !body.isObject()) {
                throw new ApiError(400, 400, "Bad Request: the body must be a JSON object");
            }
            return body;
        }
    }

    @FunctionalInterface
    private interface Action {
        Answer run();
    }

    private static Answer only(String method, String allowed, Action action) {
        return method.equals(allowed) ? action.run() : methodNotAllowed();
    }

    private static Answer ok(Object body) {
        return new Answer(200, body);
    }

    private static Answer methodNotAllowed() {
        return error(405, 405, "HTTP 405 Method Not Allowed");
    }

    private static Answer error(int status, int errorCode, String message) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", errorCode);
        body.put("message", message);
        return new Answer(status, body);
    }

    private static List<String> segments(String rawPath) {
        final List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(decode(raw));
            }
        }
        return segments;
    }

    private static Map<String, String> query(String rawQuery) {
        final Map<String, String> query = new HashMap<>();
        if (rawQuery == null) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            final int eq = pair.indexOf('=');
            if (eq < 0) {
                query.put(decode(pair), "true");
            } else {
                query.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return query;
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static ThreadFactory daemonThreads() {
        final AtomicInteger count = new AtomicInteger();
        return runnable -> {
            final Thread thread = new Thread(runnable, "schema-registry-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
