package com.integrationshub.testkit.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small provider API for SDK tests, described by {@link #SPEC} ({@code tickets-openapi.yaml}): under
 * {@code /api}, {@code GET /tickets?status=}, {@code GET /tickets/{id}}, {@code POST /tickets} (JSON body),
 * {@code DELETE /tickets/{id}}. Every request must carry {@code X-Api-Key: <key>} (else 401); every request is
 * recorded with its headers.
 */
public final class TicketsStandIn implements AutoCloseable {

    /** The classpath resource of the API's OpenAPI document (YAML). */
    public static final String SPEC = "/com/integrationshub/testkit/upstream/tickets-openapi.yaml";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String key;
    private final Map<Long, ObjectNode> tickets = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final List<UpstreamStandIn.Received> received = new CopyOnWriteArrayList<>();

    private TicketsStandIn(HttpServer server, String key) {
        this.server = server;
        this.key = key;
    }

    /** Starts on a free loopback port, demanding {@code key}, with tickets 1 (open) and 2 (closed). */
    public static TicketsStandIn start(String key) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            TicketsStandIn standIn = new TicketsStandIn(server, key);
            standIn.add("Printer on fire", "open");
            standIn.add("Coffee machine empty", "closed");
            server.createContext("/", standIn::handle);
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document describing this API, as its provider publishes it (servers name the provider, not the hub). */
    public static String spec() {
        try (InputStream in = TicketsStandIn.class.getResourceAsStream(SPEC)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL of the API, e.g. http://127.0.0.1:1234/api. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
    }

    public List<UpstreamStandIn.Received> received() {
        return List.copyOf(received);
    }

    public void clear() {
        received.clear();
    }

    private ObjectNode add(String title, String status) {
        long id = ids.incrementAndGet();
        ObjectNode ticket =
                JSON.createObjectNode().put("id", id).put("title", title).put("status", status);
        tickets.put(id, ticket);
        return ticket;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            received.add(new UpstreamStandIn.Received(
                    exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers, body));
            List<String> presented = headers.get("x-api-key");
            if (presented == null || !presented.equals(List.of(key))) {
                answer(exchange, 401, JSON.createObjectNode().put("error", "a valid X-Api-Key is required"));
                return;
            }
            String path = uri.getRawPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/api/tickets") && method.equals("GET")) {
                String status = query(uri.getRawQuery()).get("status");
                ArrayNode list = JSON.createArrayNode();
                tickets.values().stream()
                        .filter(t ->
                                status == null || status.equals(t.get("status").asText()))
                        .forEach(list::add);
                answer(exchange, 200, list);
            } else if (path.equals("/api/tickets") && method.equals("POST")) {
                JsonNode in = JSON.readTree(body);
                if (in == null || !in.path("title").isTextual()) {
                    answer(exchange, 400, JSON.createObjectNode().put("error", "title is required"));
                    return;
                }
                answer(
                        exchange,
                        201,
                        add(in.get("title").asText(), in.path("status").asText("open")));
            } else if (path.matches("/api/tickets/\\d+")) {
                long id = Long.parseLong(path.substring("/api/tickets/".length()));
                ObjectNode ticket = tickets.get(id);
                if (ticket == null) {
                    answer(exchange, 404, JSON.createObjectNode().put("error", "no such ticket"));
                } else if (method.equals("GET")) {
                    answer(exchange, 200, ticket);
                } else if (method.equals("DELETE")) {
                    tickets.remove(id);
                    exchange.sendResponseHeaders(204, -1);
                } else {
                    exchange.sendResponseHeaders(405, -1);
                }
            } else {
                answer(exchange, 404, JSON.createObjectNode().put("error", "no such path"));
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, JsonNode json) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(json);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new TreeMap<>();
        if (raw == null) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) continue;
            out.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
