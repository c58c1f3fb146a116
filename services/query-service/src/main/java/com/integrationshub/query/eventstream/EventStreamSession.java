package com.integrationshub.query.eventstream;

import com.integrationshub.registry.AvroDeserializer;
import com.integrationshub.registry.AvroSerializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.registry.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open stream: its own consumer of every partition of the events topic (committed records only, no group, nothing
 * committed), read on the thread that runs it, from the end or from a resume position, until its client goes away.
 * Only the asked types are decoded (the type is known from the record's schema id). A record that cannot be read is
 * skipped — the view builder has already sent it to the dead-letter topic — and a registry that does not answer makes
 * the stream wait and read the record again rather than miss it.
 */
final class EventStreamSession implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(EventStreamSession.class);
    private static final Duration METADATA_RETRY = Duration.ofMillis(100);
    /** What one poll hands over at most: what the outlet may have to buffer beyond its client's demand. */
    private static final int MAX_POLL_RECORDS = 100;

    /** Where a stream's messages go, and whether its client still wants them. */
    interface Outlet {
        /** Whether the client is still there. */
        boolean open();

        /** Whether the client asks for more messages now (a slow client holds the stream back). */
        boolean wantsMore();

        /** Hands a message to the client. */
        void send(StreamMessage message);

        /** Ends the stream with a failure. */
        void fail(Throwable error);
    }

    private final Properties consumerProperties;
    private final String topic;
    private final Duration adminTimeout;
    private final SchemaRegistryClient registry;
    private final Map<Integer, String> schemaNames;
    private final Optional<Set<String>> types;
    private final Optional<ResumePosition> start;
    private final EventStreamSettings settings;
    private final Outlet outlet;
    private final Runnable onEnd;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean stopped;

    EventStreamSession(
            Properties clientProperties,
            String topic,
            Duration adminTimeout,
            SchemaRegistryClient registry,
            Map<Integer, String> schemaNames,
            Optional<Set<String>> types,
            Optional<ResumePosition> start,
            EventStreamSettings settings,
            Outlet outlet,
            Runnable onEnd) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Offsets no longer in the log (retention) resume from what is left of it.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        this.consumerProperties = props;
        this.topic = topic;
        this.adminTimeout = adminTimeout;
        this.registry = registry;
        this.schemaNames = schemaNames;
        this.types = types;
        this.start = start;
        this.settings = settings;
        this.outlet = outlet;
        this.onEnd = onEnd;
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> kafka =
                new KafkaConsumer<>(consumerProperties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer = kafka;
            if (stopped || !outlet.open()) return;
            List<TopicPartition> partitions = partitions(kafka);
            kafka.assign(partitions);
            seek(kafka, partitions);
            Map<Integer, Long> next = new TreeMap<>();
            partitions.forEach(p -> next.put(p.partition(), kafka.position(p)));
            // The first message says the stream is open and where it stands, so a reconnect resumes from here.
            outlet.send(StreamMessage.heartbeat(new ResumePosition(next)));
            read(kafka, partitions, next, new AvroDeserializer(registry));
        } catch (WakeupException e) {
            // stop(): the service is shutting down.
        } catch (RuntimeException e) {
            if (!stopped && outlet.open()) {
                LOG.warn("events stream ended: {}", e.toString());
                outlet.fail(e);
            }
        } finally {
            consumer = null;
            onEnd.run();
        }
    }

    /** Ends the stream soon, from any thread (service shutdown). */
    void stop() {
        stopped = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) c.wakeup();
    }

    private void read(
            KafkaConsumer<byte[], byte[]> kafka,
            List<TopicPartition> partitions,
            Map<Integer, Long> next,
            AvroDeserializer deserializer) {
        long lastSent = System.nanoTime();
        while (!stopped && outlet.open()) {
            if (!outlet.wantsMore()) {
                LockSupport.parkNanos(settings.pollTimeout().toNanos() / 4);
                continue;
            }
            ConsumerRecords<byte[], byte[]> records = kafka.poll(settings.pollTimeout());
            Set<TopicPartition> retrying = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (retrying.contains(partition)) continue;
                Read read = read(record, deserializer);
                if (read.retry()) {
                    retrying.add(partition);
                    kafka.seek(partition, record.offset());
                    continue;
                }
                next.put(record.partition(), record.offset() + 1);
                if (read.event() != null) {
                    outlet.send(StreamMessage.event(new ResumePosition(next), read.event()));
                    lastSent = System.nanoTime();
                }
            }
            // Past transaction markers and aborted records too; back to the record to read again where retrying.
            partitions.forEach(p -> next.put(p.partition(), kafka.position(p)));
            if (System.nanoTime() - lastSent >= settings.heartbeat().toNanos()) {
                outlet.send(StreamMessage.heartbeat(new ResumePosition(next)));
                lastSent = System.nanoTime();
            }
            if (!retrying.isEmpty())
                LockSupport.parkNanos(settings.pollTimeout().toNanos());
        }
    }

    /** What became of one record: an event to send, nothing to send, or read it again later. */
    private record Read(boolean retry, SpecificRecord event) {
        static final Read SKIP = new Read(false, null);
        static final Read RETRY = new Read(true, null);
    }

    private Read read(ConsumerRecord<byte[], byte[]> record, AvroDeserializer deserializer) {
        byte[] value = record.value();
        if (value == null) return Read.SKIP;
        if (value.length < AvroSerializer.HEADER_SIZE || value[0] != AvroSerializer.MAGIC_BYTE) {
            return skip(record, "not in the Confluent wire format");
        }
        int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();
        String name = schemaNames.get(schemaId);
        if (name == null) {
            try {
                name = registry.schemaById(schemaId).getFullName();
            } catch (SchemaRegistryException e) {
                if (SchemaRegistryException.isUnavailable(e)) return retry(record, e);
                return skip(record, "schema id " + schemaId + " is unknown to the registry");
            }
            schemaNames.put(schemaId, name);
        }
        if (!EventTypes.wanted(name, types)) return Read.SKIP;
        try {
            return new Read(false, deserializer.deserialize(record.topic(), value));
        } catch (RuntimeException e) {
            if (SchemaRegistryException.isUnavailable(e)) return retry(record, e);
            return skip(record, e.getMessage());
        }
    }

    private static Read skip(ConsumerRecord<byte[], byte[]> record, String why) {
        LOG.warn("events stream skips {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), why);
        return Read.SKIP;
    }

    private static Read retry(ConsumerRecord<byte[], byte[]> record, RuntimeException e) {
        LOG.warn(
                "events stream waits for the schema registry to read {}-{}@{}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                e.getMessage());
        return Read.RETRY;
    }

    /**
     * From the end without a resume position; else each partition from its offset there, the start of the log for a
     * partition it does not name (added since) or an offset the log no longer holds, and the end for one past it.
     */
    private void seek(KafkaConsumer<byte[], byte[]> kafka, List<TopicPartition> partitions) {
        if (start.isEmpty()) {
            kafka.seekToEnd(partitions);
            return;
        }
        Map<TopicPartition, Long> first = kafka.beginningOffsets(partitions);
        Map<TopicPartition, Long> last = kafka.endOffsets(partitions);
        for (TopicPartition p : partitions) {
            long asked = start.get().offsets().getOrDefault(p.partition(), 0L);
            kafka.seek(p, Math.min(Math.max(asked, first.get(p)), last.get(p)));
        }
    }

    /** The events topic's partitions; a topic created a moment ago may not be in the metadata yet. */
    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> kafka) {
        long deadline = System.nanoTime() + adminTimeout.toNanos();
        while (true) {
            List<TopicPartition> found = kafka.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            if (!found.isEmpty()) return found;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the events topic has no partitions in the broker's metadata");
            }
            LockSupport.parkNanos(METADATA_RETRY.toNanos());
        }
    }

    /** A cache of schema names by id, shared by the streams of a service. */
    static Map<Integer, String> newSchemaNames() {
        return new ConcurrentHashMap<>();
    }
}
