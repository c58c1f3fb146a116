package com.integrationshub.system;

import com.integrationshub.events.TokenRefreshFailed;
import com.integrationshub.registry.AvroDeserializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.testkit.HubTestCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The token events of a hub's events topic, read from the start to its end as any consumer of the topic reads them
 * (README, "events other services read": committed records only, the registry's deserializer).
 */
final class TokenEvents {

    /** One token event: its type (the record's simple name), token, version, time and, for a failure, why. */
    record Entry(String type, String tokenId, long version, Instant at, String reason, boolean needsReauth) {

        boolean is(String simpleName) {
            return type.equals(simpleName);
        }
    }

    private static final Duration READ_DEADLINE = Duration.ofSeconds(60);

    private final List<Entry> entries;

    private TokenEvents(List<Entry> entries) {
        this.entries = entries;
    }

    /** Reads every token event committed to the hub's events topic so far. */
    static TokenEvents read(Hub hub) {
        Properties props = new Properties();
        props.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Entry> entries = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(
                props,
                new StringDeserializer(),
                new AvroDeserializer(
                        new SchemaRegistryClient(HubTestCluster.shared().registryUrl())))) {
            String topic = hub.eventsTopic();
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + READ_DEADLINE.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) throw new AssertionError("the events topic was not read in time");
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    Entry entry = r.value() == null ? null : entry(r.value());
                    if (entry != null) entries.add(entry);
                });
            }
        }
        entries.sort(Comparator.comparing(Entry::at));
        return new TokenEvents(entries);
    }

    /** How many token events there are. */
    int size() {
        return entries.size();
    }

    /** The events of one token, oldest first. */
    List<Entry> of(String tokenId) {
        return entries.stream().filter(e -> e.tokenId().equals(tokenId)).toList();
    }

    /** The events of one token of one type, oldest first. */
    List<Entry> of(String tokenId, String type) {
        return of(tokenId).stream().filter(e -> e.is(type)).toList();
    }

    private static Entry entry(SpecificRecord event) {
        Schema schema = event.getSchema();
        Schema.Field token = schema.getField("token_id");
        if (token == null || !schema.getName().startsWith("Token")) return null;
        String reason = null;
        boolean needsReauth = false;
        if (event instanceof TokenRefreshFailed failed) {
            reason = failed.getReason();
            needsReauth = failed.getNeedsReauth();
        }
        return new Entry(
                schema.getName(),
                String.valueOf(event.get(token.pos())),
                (Long) event.get(schema.getField("version").pos()),
                (Instant) event.get(schema.getField("occurred_at").pos()),
                reason,
                needsReauth);
    }
}
