package com.integrationshub.query.spec;

import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.streams.HubStreams;
import com.integrationshub.runtime.kafka.KafkaSettings;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Providers' OpenAPI documents on their own compacted topic, out of the events topic's way: a document is split
 * into chunks of {@code hub.specs.chunk-bytes}, keyed {@code <digest>/<n>}, compressed with zstd. Every instance
 * holds the whole topic in a global store (SpecTopology), so any of them can serve any document; the integration's
 * events carry only the digest and the number of chunks.
 */
@Context
public class SpecStore {

    private static final Duration PAUSE = Duration.ofMillis(20);

    private final SpecSettings settings;
    private final HubStreams hub;
    private final KafkaProducer<String, byte[]> producer;

    public SpecStore(SpecSettings settings, KafkaSettings kafka, HubStreams hub) {
        this.settings = settings;
        this.hub = hub;
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, SpecTopology.maxMessageBytes(settings.chunkBytes()));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, settings.chunkBytes());
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Writes the document's chunks and waits for the broker to have them all; answers the number of chunks. */
    public int write(ProviderSpec spec) {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        byte[] json = spec.json();
        int chunks = Math.max(1, (json.length + settings.chunkBytes() - 1) / settings.chunkBytes());
        for (int n = 0; n < chunks; n++) {
            byte[] chunk = Arrays.copyOfRange(
                    json, n * settings.chunkBytes(), Math.min(json.length, (n + 1) * settings.chunkBytes()));
            CompletableFuture<Void> done = new CompletableFuture<>();
            producer.send(new ProducerRecord<>(settings.topic(), key(spec.digest(), n), chunk), (m, e) -> {
                if (e == null) done.complete(null);
                else done.completeExceptionally(e);
            });
            sent.add(done);
        }
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            throw ProblemException.unavailable("the document could not be stored; nothing was changed");
        }
        return chunks;
    }

    /**
     * The document's JSON bytes, waiting up to {@code hub.specs.read-wait} for this instance's copy of the topic to
     * have every chunk; empty if it does not by then.
     */
    public Optional<byte[]> read(String digest, int chunks) {
        long deadline = System.nanoTime() + settings.readWait().toNanos();
        while (true) {
            Optional<byte[]> whole = assemble(digest, chunks);
            if (whole.isPresent() || System.nanoTime() > deadline) return whole;
            try {
                Thread.sleep(PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    private Optional<byte[]> assemble(String digest, int chunks) {
        ReadOnlyKeyValueStore<String, byte[]> store;
        try {
            KafkaStreams streams = hub.streams();
            if (streams == null) return Optional.empty();
            store = streams.store(StoreQueryParameters.fromNameAndType(
                    SpecTopology.STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        } catch (InvalidStateStoreException e) {
            return Optional.empty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int n = 0; n < chunks; n++) {
            byte[] chunk = store.get(key(digest, n));
            if (chunk == null) return Optional.empty();
            out.writeBytes(chunk);
        }
        byte[] whole = out.toByteArray();
        // A chunk of another document under a colliding key cannot pass for this one.
        return ProviderSpecParser.sha256(whole).equals(digest) ? Optional.of(whole) : Optional.empty();
    }

    static String key(String digest, int n) {
        return digest + "/" + n;
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
