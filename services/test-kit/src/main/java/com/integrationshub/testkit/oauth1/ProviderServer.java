package com.integrationshub.testkit.oauth1;

import com.integrationshub.testkit.oauth1.ProviderRules.Incoming;
import com.integrationshub.testkit.oauth1.ProviderRules.Reply;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OAuth 1.0a stand-in's HTTP transport on 127.0.0.1 with a free port: reads each request whole, hands it to the
 * answer function, writes the reply; nothing else.
 */
final class ProviderServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OAuth1ProviderStandIn.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final Function<Incoming, Reply> answer;

    private ProviderServer(HttpServer server, ExecutorService executor, Function<Incoming, Reply> answer) {
        this.server = server;
        this.executor = executor;
        this.answer = answer;
    }

    static ProviderServer start(Function<Incoming, Reply> answer) {
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the OAuth 1.0a stand-in's port on 127.0.0.1", e);
        }
        final AtomicInteger threads = new AtomicInteger();
        final ExecutorService executor = Executors.newCachedThreadPool(task -> {
            final Thread thread = new Thread(task, "oauth1-stand-in-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        final ProviderServer standIn = new ProviderServer(server, executor, answer);
        server.createContext("/", standIn::handle);
        server.setExecutor(executor);
        server.start();
        return standIn;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) {
        try {
            final String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            final URI received = URI.create("http://127.0.0.1:" + port() + exchange.getRequestURI());
            Reply reply;
            try {
                reply = answer.apply(new Incoming(
                        exchange.getRequestMethod(),
                        received,
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        body,
                        exchange.getRequestHeaders().getFirst("Authorization")));
            } catch (RuntimeException e) {
                LOG.error("the OAuth 1.0a stand-in failed on {}", received.getPath(), e);
                reply = Reply.text(500, "stand-in failure: " + e);
            }
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            reply.headers()
                    .forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            final byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            LOG.debug("a call to the OAuth 1.0a stand-in ended early: {}", e.toString());
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
