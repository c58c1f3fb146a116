package com.integrationshub.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The few HTTP calls of the benchmark against one query-service, over HTTP/1.1 keep-alive connections. */
final class HubCalls implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String base;
    private final String adminToken;
    private final ExecutorService executor;
    private final HttpClient http;

    HubCalls(String base, String adminToken, int threads) {
        this.base = base;
        this.adminToken = adminToken;
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "hub-calls");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** An answer: status, body, and when it arrived (System.nanoTime). */
    record Answer(int status, String body, long arrivedNanos) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    /** The service's base URL. */
    String base() {
        return base;
    }

    /** The admin token the calls carry. */
    String adminToken() {
        return adminToken;
    }

    /** PUT (admin) with a JSON body. */
    CompletableFuture<Answer> put(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    /** POST (admin) with a JSON body. */
    CompletableFuture<Answer> post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    /** GET with the given bearer token. */
    CompletableFuture<Answer> get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .GET()
                .build());
    }

    private CompletableFuture<Answer> send(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Answer(r.statusCode(), r.body(), System.nanoTime()));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
