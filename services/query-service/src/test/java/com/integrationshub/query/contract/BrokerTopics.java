package com.integrationshub.query.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The broker's topics as it holds them: names, end offsets and the raw bytes of every record. */
final class BrokerTopics {

    private static final Duration READ_DEADLINE = Duration.ofSeconds(30);

    private final String bootstrapServers;

    BrokerTopics(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Every topic name (internal ones too) that passes the filter, sorted. */
    Set<String> names(Predicate<String> filter) {
        try (Admin admin = admin()) {
            Set<String> names = new TreeSet<>();
            admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get().stream()
                    .filter(filter)
                    .forEach(names::add);
            return names;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The end offset (aborted and uncommitted records included) of each partition of the topic. */
    Map<TopicPartition, Long> endOffsets(String topic) {
        try (Admin admin = admin();
                KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions(consumer, topic).forEach(p -> latest.put(p, OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                    .all()
                    .get()
                    .forEach((p, info) -> ends.put(p, info.offset()));
            return ends;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every record of the topic from its beginning, uncommitted and aborted ones too, as raw bytes. */
    List<RawRecord> read(String topic) {
        List<RawRecord> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + READ_DEADLINE.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline)
                    throw new AssertionError("could not read " + topic + " to its end " + end);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    List<byte[]> headers = new ArrayList<>();
                    for (Header h : r.headers()) {
                        headers.add(h.key().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        if (h.value() != null) headers.add(h.value());
                    }
                    records.add(new RawRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value(), headers));
                }
            }
        }
        return records;
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(props);
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        var infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) throw new AssertionError("topic " + topic + " does not exist");
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** One record's bytes: key, value, and each header's key and value. */
    record RawRecord(String topic, int partition, long offset, byte[] key, byte[] value, List<byte[]> headers) {

        /** Whether any of the record's bytes contain the needle. */
        boolean contains(byte[] needle) {
            if (indexOf(key, needle) >= 0 || indexOf(value, needle) >= 0) return true;
            return headers.stream().anyMatch(h -> indexOf(h, needle) >= 0);
        }

        private static int indexOf(byte[] haystack, byte[] needle) {
            if (haystack == null || needle.length == 0 || haystack.length < needle.length) return -1;
            outer:
            for (int i = 0; i <= haystack.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) continue outer;
                }
                return i;
            }
            return -1;
        }
    }
}
