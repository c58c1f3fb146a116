package com.integrationshub.query.streams;

import com.integrationshub.runtime.kafka.KafkaSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Looks whether a committed (read_committed) event lies in an offset range of the events topic: between where the views
 * committed and where the partition ended at start there may be only transaction markers, which Kafka Streams skips
 * without committing again — a restarted instance with nothing new to read would otherwise never count as caught up.
 * One consumer without a group, used by one caller at a time.
 */
final class PendingEvents implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;

    PendingEvents(KafkaSettings kafka, String topic, String applicationId) {
        this.topic = topic;
        Properties props = kafka.clientProperties();
        // The application's group, only to read its committed offsets: assigned, never subscribed, so it never joins.
        props.put(ConsumerConfig.GROUP_ID_CONFIG, applicationId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        // Only the first record after an offset is wanted: a small fetch (Kafka still returns a whole first batch
        // larger than this), not a megabyte per partition on every health probe while the views catch up.
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Where the application's committed offsets stand on these partitions (absent: none committed). Kafka Streams
     * reports a task's committed offsets only once it has committed in this process, which a restart with nothing new
     * to read never does; the group's offsets on the broker are what it will resume from.
     */
    synchronized Map<Integer, Long> committed(Set<Integer> partitions, Duration within) {
        Set<TopicPartition> wanted = new HashSet<>();
        for (int p : partitions) wanted.add(new TopicPartition(topic, p));
        Map<Integer, Long> found = new HashMap<>();
        consumer.committed(wanted, within).forEach((tp, offset) -> {
            if (offset != null) found.put(tp.partition(), offset.offset());
        });
        return found;
    }

    /**
     * Whether the partition holds a committed event at an offset in [from, end): true as soon as one is seen, false
     * once the reader has passed end without one; true (not known: count it as pending) when that takes longer than
     * {@code within}.
     */
    synchronized boolean anyBetween(int partition, long from, long end, Duration within) {
        TopicPartition tp = new TopicPartition(topic, partition);
        consumer.assign(List.of(tp));
        consumer.seek(tp, from);
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                if (record.offset() < end) return true;
            }
            if (consumer.position(tp, POLL) >= end) return false;
        }
        return true;
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
