package com.integrationshub.client.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A tiny in-process HTTP server on 127.0.0.1 that answers canned replies by method and path (query included) and
 * records every request, for edge cases the real service does not produce on demand.
 */
public final class StubHub implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private StubHub(HttpServer server) {
        this.server = server;
    }

    /** Starts a stub on a free port; unknown routes answer 599. */
    public static StubHub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            StubHub stub = new StubHub(server);
            server.createContext("/", stub::handle);
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            return stub;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the base URL. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code method path} (e.g. {@code GET /v1/x?y=z}) with that reply from now on. */
    public StubHub on(String method, String pathAndQuery, Reply reply) {
        replies.put(method + " " + pathAndQuery, reply);
        return this;
    }

    /** Returns the requests received so far, oldest first. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Returns the last request received. */
    public Request last() {
        if (requests.isEmpty()) throw new AssertionError("the stub received no request");
        return requests.get(requests.size() - 1);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null
                            ? ""
                            : "?" + exchange.getRequestURI().getRawQuery());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(
                    new Request(exchange.getRequestMethod(), target, Map.copyOf(exchange.getRequestHeaders()), body));
            Reply reply = replies.getOrDefault(
                    exchange.getRequestMethod() + " " + target,
                    Reply.json(599, "{\"unexpected\": \"" + exchange.getRequestMethod() + " " + target + "\"}"));
            if (!reply.delay().isZero()) Thread.sleep(reply.delay().toMillis());
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            if (reply.contentType() != null) exchange.getResponseHeaders().add("Content-Type", reply.contentType());
            byte[] bytes = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) exchange.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A request as received; header names as the JDK server normalizes them (first letter upper case). */
    public record Request(String method, String target, Map<String, List<String>> headers, String body) {

        /** Returns the first value of a header, or null. */
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .findFirst()
                    .map(e -> e.getValue().get(0))
                    .orElse(null);
        }
    }

    /** A canned reply. */
    public record Reply(int status, String contentType, String body, Map<String, String> headers, Duration delay) {

        /** Returns a JSON reply. */
        public static Reply json(int status, String body) {
            return new Reply(status, "application/json", body, Map.of(), Duration.ZERO);
        }

        /** Returns a problem+json reply. */
        public static Reply problem(int status, String body) {
            return new Reply(status, "application/problem+json", body, Map.of(), Duration.ZERO);
        }

        /** Returns this reply with a header added. */
        public Reply withHeader(String name, String value) {
            Map<String, String> all = new java.util.HashMap<>(headers);
            all.put(name, value);
            return new Reply(status, contentType, body, Map.copyOf(all), delay);
        }

        /** Returns this reply sent after a delay. */
        public Reply after(Duration wait) {
            return new Reply(status, contentType, body, headers, wait);
        }
    }
}
