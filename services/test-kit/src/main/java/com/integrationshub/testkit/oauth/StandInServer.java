package com.integrationshub.testkit.oauth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stand-in's HTTP transport on 127.0.0.1 with a free port: reads each request, hands it to the token or the
 * authorization endpoint by the path's last segment (under any prefix), and writes the reply; nothing else.
 */
final class StandInServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OAuthProviderStandIn.class);
    private static final int BACKLOG = 1024;

    /** A token request as it came: method, path, headers that matter and body. */
    record TokenRequest(String method, String path, String contentType, String authorization, String body) {}

    /** What to answer: status, content type, body, extra headers, and the token call it answers (else null). */
    record Reply(int status, String contentType, byte[] body, Map<String, String> headers, TokenCall call) {

        Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
            this(status, contentType, body, headers, null);
        }

        static Reply text(int status, String text) {
            return new Reply(status, "text/plain", text.getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final TokenEndpoint token;
    private final AuthorizeEndpoint authorize;
    private final Consumer<String> pathSeen;
    private final Consumer<TokenCall> answerSent;

    private StandInServer(
            HttpServer server,
            ExecutorService executor,
            TokenEndpoint token,
            AuthorizeEndpoint authorize,
            Consumer<String> pathSeen,
            Consumer<TokenCall> answerSent) {
        this.server = server;
        this.executor = executor;
        this.token = token;
        this.authorize = authorize;
        this.pathSeen = pathSeen;
        this.answerSent = answerSent;
    }

    /**
     * Starts serving both endpoints; {@code pathSeen} is told the path of every request first, {@code answerSent} each
     * token call once its whole answer was written and the exchange closed (not when the caller went away first).
     */
    static StandInServer start(
            TokenEndpoint token,
            AuthorizeEndpoint authorize,
            Consumer<String> pathSeen,
            Consumer<TokenCall> answerSent) {
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the OAuth stand-in's port on 127.0.0.1", e);
        }
        final AtomicInteger threads = new AtomicInteger();
        final ExecutorService executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "oauth-stand-in-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        final StandInServer standIn = new StandInServer(server, executor, token, authorize, pathSeen, answerSent);
        server.createContext("/", standIn::handle);
        server.setExecutor(executor);
        server.start();
        return standIn;
    }

    /** Returns the port on 127.0.0.1. */
    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) {
        TokenCall sent = null;
        try {
            final String path = exchange.getRequestURI().getPath();
            pathSeen.accept(path);
            final Reply reply;
            if (path.endsWith("/token")) {
                final String body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                reply = token.answer(new TokenRequest(
                        exchange.getRequestMethod(),
                        path,
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        body));
            } else if (path.endsWith("/authorize")) {
                reply = authorize.answer(
                        exchange.getRequestMethod(), exchange.getRequestURI().getRawQuery());
            } else {
                reply = Reply.text(404, "no such endpoint: " + path);
            }
            send(exchange, reply);
            sent = reply.call();
        } catch (IOException e) {
            LOG.debug("a call to the OAuth stand-in ended early: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.error(
                    "the OAuth stand-in failed on {}", exchange.getRequestURI().getPath(), e);
            try {
                send(exchange, Reply.text(500, "stand-in failure: " + e));
            } catch (IOException | RuntimeException ignored) {
                // the answer may have been started already; closing ends it
            }
        } finally {
            exchange.close();
        }
        if (sent != null) answerSent.accept(sent);
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        final byte[] body = reply.body();
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) exchange.getResponseBody().write(body);
    }

    /** Stops the server at once and its threads. */
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
