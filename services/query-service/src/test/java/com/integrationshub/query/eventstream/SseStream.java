package com.integrationshub.query.eventstream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server-sent events client for tests, on the JDK's HttpClient with a streaming body: a thread reads the stream's
 * lines as they come and parses them into messages (the EventSource rules: fields up to a blank line, comments apart).
 */
final class SseStream implements AutoCloseable {

    /** One message: its fields (null when absent) and its comment, if it was one. */
    record Message(String id, String event, String data, String comment) {

        /** Whether it is a comment without data (a heartbeat, or the message that says the stream is open). */
        boolean heartbeat() {
            return data == null;
        }
    }

    private static final Message END = new Message(null, null, null, "end of stream");

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final StringBuffer raw = new StringBuffer();
    private final String body;

    private SseStream(HttpResponse<InputStream> response) throws IOException {
        this.response = response;
        if (response.statusCode() == 200) {
            this.body = null;
            Thread reader = new Thread(this::read, "sse-test-reader");
            reader.setDaemon(true);
            reader.start();
        } else {
            try (InputStream in = response.body()) {
                this.body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    /** Opens GET {url} with this bearer token (none if null) and headers; returns once the answer's headers came. */
    static SseStream open(String url, String token, Map<String, String> headers) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url)).GET().header("Accept", "text/event-stream");
        if (token != null) request.header("Authorization", "Bearer " + token);
        headers.forEach(request::header);
        try {
            return new SseStream(client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
                    .get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("could not open " + url, e);
        }
    }

    /** The answer's status. */
    int status() {
        return response.statusCode();
    }

    /** A response header, or empty. */
    Optional<String> header(String name) {
        return response.headers().firstValue(name);
    }

    /** The body of an answer that is not a stream (a problem). */
    String body() {
        return body;
    }

    /** Everything the stream sent so far, as sent. */
    String raw() {
        return raw.toString();
    }

    /** The next message, heartbeats included; fails after the timeout or at the end of the stream. */
    Message next(Duration timeout) {
        Message m;
        try {
            m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (m == null) throw new AssertionError("no message within " + timeout + "; the stream so far: " + raw);
        if (m == END) {
            messages.add(END);
            throw new AssertionError("the stream ended; it sent: " + raw);
        }
        return m;
    }

    /** The next message with data, skipping heartbeats, within the timeout. */
    Message nextEvent(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            Message m = next(left);
            if (!m.heartbeat()) return m;
        }
    }

    /** Whether the stream has ended (the server closed it). */
    boolean ended() {
        return messages.contains(END);
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // closed already
        }
    }

    private void read() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            String comment = null;
            String line;
            while ((line = lines.readLine()) != null) {
                raw.append(line).append('\n');
                if (line.isEmpty()) {
                    if (id != null || event != null || data != null || comment != null) {
                        messages.add(new Message(id, event, data == null ? null : data.toString(), comment));
                    }
                    id = null;
                    event = null;
                    data = null;
                    comment = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    comment = line.substring(1).strip();
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) value = value.substring(1);
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" ->
                        data = data == null
                                ? new StringBuilder(value)
                                : data.append('\n').append(value);
                    default -> {}
                }
            }
        } catch (IOException e) {
            // closed by the test, or the connection dropped
        } finally {
            messages.add(END);
        }
    }
}
