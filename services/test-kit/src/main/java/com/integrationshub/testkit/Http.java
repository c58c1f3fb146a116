package com.integrationshub.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A plain HTTP client for tests of every module: every call returns status, headers and body as they came. */
public final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final String token;

    public Http(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The same client with another token (null for none). */
    public Http as(String otherToken) {
        return new Http(base, otherToken);
    }

    public Reply get(String path) {
        return send("GET", path, null, Map.of());
    }

    public Reply post(String path, String body) {
        return send("POST", path, body, Map.of());
    }

    public Reply put(String path, String body) {
        return send("PUT", path, body, Map.of());
    }

    public Reply patch(String path, String body) {
        return send("PATCH", path, body, Map.of());
    }

    public Reply delete(String path) {
        return send("DELETE", path, null, Map.of());
    }

    /** Any request with extra headers. */
    public Reply send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        boolean typed = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"));
        if (body != null && !typed) request.header("Content-Type", "application/json");
        if (token != null) request.header("Authorization", "Bearer " + token);
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("ETag").orElse(null),
                    response.body(),
                    response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What came back. */
    public record Reply(
            int status, String contentType, String etag, String body, Map<String, java.util.List<String>> headers) {

        /** The body as JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("expected a JSON body, got: " + body, e);
            }
        }

        /** The value of a header, or null. */
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .findFirst()
                    .map(e -> e.getValue().get(0))
                    .orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }
}
