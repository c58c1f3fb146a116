package com.integrationshub.query.proxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

/**
 * The provider side of the proxy: one JDK HTTP client (redirects never followed), bodies streamed both ways with
 * back-pressure, never held whole.
 */
final class Upstream {

    private final HttpClient client;
    private final Duration readTimeout;

    Upstream(ProxySettings settings) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.readTimeout = settings.readTimeout();
    }

    /** A request body: none, bytes held (can be sent again), or a stream (once). */
    sealed interface Body permits NoBody, Held, Streamed {}

    record NoBody() implements Body {}

    record Held(byte[] bytes) implements Body {}

    record Streamed(Publisher<byte[]> chunks, OptionalLong length) implements Body {}

    /** The provider's answer: status, headers in order, body as it arrives. */
    record Answer(int status, List<Map.Entry<String, String>> headers, OptionalLong length, Flux<ByteBuffer> body) {
        /** Reads nothing more of the body and lets the connection go. */
        void discard() {
            body.subscribe().dispose();
        }
    }

    CompletableFuture<Answer> send(URI uri, String method, List<Map.Entry<String, String>> headers, Body body) {
        var builder = HttpRequest.newBuilder(uri).timeout(readTimeout);
        headers.forEach(h -> builder.header(h.getKey(), h.getValue()));
        builder.method(method, publisher(body));
        return client.sendAsync(builder.build(), BodyHandlers.ofPublisher()).thenApply(answer -> {
            List<Map.Entry<String, String>> out = new ArrayList<>();
            answer.headers().map().forEach((name, values) -> {
                if (!name.startsWith(":")) values.forEach(v -> out.add(Map.entry(name, v)));
            });
            Flux<ByteBuffer> chunks =
                    JdkFlowAdapter.flowPublisherToFlux(answer.body()).concatMapIterable(list -> list);
            var length = answer.headers().firstValueAsLong("Content-Length");
            return new Answer(answer.statusCode(), out, length, chunks);
        });
    }

    private static BodyPublisher publisher(Body body) {
        if (body instanceof Held held) return BodyPublishers.ofByteArray(held.bytes());
        if (body instanceof Streamed streamed) {
            var chunks = JdkFlowAdapter.publisherToFlowPublisher(
                    Flux.from(streamed.chunks()).map(ByteBuffer::wrap));
            return streamed.length().isPresent()
                    ? BodyPublishers.fromPublisher(chunks, streamed.length().getAsLong())
                    : BodyPublishers.fromPublisher(chunks);
        }
        return BodyPublishers.noBody();
    }
}
