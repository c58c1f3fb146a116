package com.integrationshub.query.streams;

import com.integrationshub.domain.RecordBudget;
import com.integrationshub.domain.integration.IntegrationDecider;
import com.integrationshub.query.decide.DecisionObserver;
import com.integrationshub.query.store.StoreRetention;
import com.integrationshub.query.view.ViewChanges;
import com.integrationshub.registry.AvroDeserializer;
import com.integrationshub.registry.AvroSerializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.replies.CommandOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The query service's real topology ({@link HubTopology}) in a {@link TopologyTestDriver}: no broker, in-memory
 * stores, the wall clock under the test's control, the dead-letter and production handlers as {@link HubStreams}
 * configures them. Records the command processor writes to the events topic are fed to the view builder, as the
 * broker would.
 */
final class TopologyFixture implements AutoCloseable {

    static final String COMMANDS = "hub.commands";
    static final String EVENTS = "hub.events";
    static final String OUTCOMES = "hub.outcomes";
    static final String DEAD_LETTERS = "hub.dead-letters";
    static final String APPLICATION_ID = "topology-test";
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    /** hub.commands.decision-timeout's default: how long a request waits for its outcome. */
    static final Duration DECISION_TIMEOUT = Duration.ofSeconds(10);

    private final Path stateDir;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, SpecificRecord> commands;
    private final TestInputTopic<String, SpecificRecord> events;
    private final TestOutputTopic<String, SpecificRecord> appended;
    private final TestOutputTopic<String, SpecificRecord> outcomes;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    /** What the views' fold reports of its changes. */
    public final ViewChanges changes = new ViewChanges();

    private Duration elapsed = Duration.ZERO;

    /** The settings a test changes; the rest are the defaults of application.yml. */
    record Settings(int maxRecordBytes, StoreRetention retention, Duration refreshMinInterval) {
        static Settings defaults() {
            return new Settings(
                    RecordBudget.DEFAULT_MAX_RECORD_BYTES,
                    new StoreRetention(Duration.ofHours(24), Duration.ofMinutes(1)),
                    Duration.ofSeconds(30));
        }

        Settings withMaxRecordBytes(int bytes) {
            return new Settings(bytes, retention, refreshMinInterval);
        }

        Settings withRetention(StoreRetention r) {
            return new Settings(maxRecordBytes, r, refreshMinInterval);
        }
    }

    private TopologyFixture(SchemaRegistryStandIn registry, Settings settings) {
        try {
            this.stateDir = Files.createTempDirectory("topology-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var topology = HubTopology.build(
                COMMANDS,
                EVENTS,
                OUTCOMES,
                registry.topologyClient(),
                new IntegrationDecider(100),
                new RecordBudget(settings.maxRecordBytes()),
                settings.retention(),
                settings.refreshMinInterval(),
                DECISION_TIMEOUT,
                DecisionObserver.NONE,
                changes,
                Stores::inMemoryKeyValueStore);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "no-broker:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.TOPIC_CONFIG, DEAD_LETTERS);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, UnwritableResultHandler.class);
        this.driver = new TopologyTestDriver(topology, props, T0);
        SchemaRegistryClient client = registry.testClient();
        this.commands = driver.createInputTopic(
                COMMANDS, new StringSerializer(), new AvroSerializer(client), T0, Duration.ZERO);
        this.events =
                driver.createInputTopic(EVENTS, new StringSerializer(), new AvroSerializer(client), T0, Duration.ZERO);
        Deserializer<SpecificRecord> records = new AvroDeserializer(client);
        this.appended = driver.createOutputTopic(EVENTS, new StringDeserializer(), records);
        this.outcomes = driver.createOutputTopic(OUTCOMES, new StringDeserializer(), records);
        this.deadLetters =
                driver.createOutputTopic(DEAD_LETTERS, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The topology with the defaults of application.yml, its serdes using the registry. */
    static TopologyFixture start(SchemaRegistryStandIn registry) {
        return start(registry, Settings.defaults());
    }

    static TopologyFixture start(SchemaRegistryStandIn registry, Settings settings) {
        return new TopologyFixture(registry, settings);
    }

    /** Sends a command keyed by the aggregate that decides it, at the driver's current wall-clock time. */
    void send(String partitionKey, SpecificRecord command) {
        commands.pipeInput(partitionKey, command, now());
    }

    /** Puts an event straight onto the events topic (as another writer of the log would). */
    void append(String partitionKey, SpecificRecord event) {
        append(partitionKey, event, new RecordHeaders());
    }

    /** As {@link #append(String, SpecificRecord)}, with these headers. */
    void append(String partitionKey, SpecificRecord event, Headers headers) {
        appendAt(partitionKey, event, headers, now());
    }

    /** As {@link #append(String, SpecificRecord, Headers)}, with the record's time `at` (when it was sent). */
    void appendAt(String partitionKey, SpecificRecord event, Headers headers, Instant at) {
        events.pipeInput(new TestRecord<>(partitionKey, event, headers, at));
    }

    /** Puts raw bytes onto a topic, as a producer that does not speak the wire format would. */
    void sendBytes(String topic, byte[] key, byte[] value) {
        driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer())
                .pipeInput(key, value, now());
    }

    /** The events the command processor appended since the last call. */
    List<TestRecord<String, SpecificRecord>> appended() {
        return appended.readRecordsToList();
    }

    /** The outcomes published since the last call. */
    List<TestRecord<String, CommandOutcome>> outcomes() {
        return outcomes.readRecordsToList().stream()
                .map(r -> new TestRecord<>(r.key(), (CommandOutcome) r.value(), r.headers(), r.getRecordTime()))
                .toList();
    }

    /** The dead letters written since the last call. */
    List<TestRecord<byte[], byte[]>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    /** One of the topology's stores. */
    <V> KeyValueStore<String, V> store(String name) {
        return driver.getKeyValueStore(name);
    }

    /** The number of entries in a store. */
    int count(String name) {
        int n = 0;
        try (var it = driver.getKeyValueStore(name).all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    /** Moves the wall clock on, running the punctuations (the retention sweeps) that fall due. */
    void advance(Duration by) {
        elapsed = elapsed.plus(by);
        driver.advanceWallClockTime(by);
    }

    /** The driver's wall-clock time. */
    Instant now() {
        return T0.plus(elapsed);
    }

    @Override
    public void close() {
        driver.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
