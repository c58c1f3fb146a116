package com.integrationshub.query.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.JsonText;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.query.json.ConfigJson;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.registry.AvroDeserializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.runtime.kafka.KafkaSettings;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/** Reads an integration's history from the events topic itself: its partition, its key, oldest first. */
@Singleton
public class IntegrationHistory {

    private static final Set<String> COMMON =
            Set.of("event_id", "aggregate_id", "version", "occurred_at", "causation_id");
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaSettings kafka;
    private final SchemaRegistryClient registry;

    public IntegrationHistory(KafkaSettings kafka, SchemaRegistryClient registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /** The events keyed by this integration name, up to the end of the log, secrets masked. */
    public ArrayNode of(String name) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        ArrayNode out = JsonBody.mapper().createArrayNode();
        try (KafkaConsumer<String, SpecificRecord> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new AvroDeserializer(registry))) {
            int partitions = consumer.partitionsFor(kafka.eventsTopic()).size();
            // The producer's default partitioner for a keyed record: murmur2 of the key bytes.
            byte[] key = name.getBytes(StandardCharsets.UTF_8);
            TopicPartition partition =
                    new TopicPartition(kafka.eventsTopic(), Utils.toPositive(Utils.murmur2(key)) % partitions);
            List<TopicPartition> assigned = List.of(partition);
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            long end = consumer.endOffsets(assigned).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(POLL)) {
                    if (name.equals(record.key()) && record.value() != null && ofIntegration(record.value())) {
                        out.add(entry(record.value()));
                    }
                }
            }
        }
        return out;
    }

    // A connection may share the integration's name (and so its key); its events are not this history.
    private static boolean ofIntegration(SpecificRecord event) {
        Schema.Field aggregate = event.getSchema().getField("aggregate_id");
        return aggregate != null && String.valueOf(event.get(aggregate.pos())).startsWith("integration/");
    }

    private static ObjectNode entry(SpecificRecord event) {
        ObjectNode entry = JsonBody.mapper().createObjectNode();
        entry.put("type", event.getSchema().getName());
        entry.put("version", (Long)
                event.get(event.getSchema().getField("version").pos()));
        entry.put(
                "at", event.get(event.getSchema().getField("occurred_at").pos()).toString());
        Schema.Field org = event.getSchema().getField("org_id");
        entry.put("org_id", org == null ? null : (String) event.get(org.pos()));
        entry.put("event_id", (String)
                event.get(event.getSchema().getField("event_id").pos()));
        ObjectNode data = entry.putObject("data");
        for (Schema.Field field : event.getSchema().getFields()) {
            if (!COMMON.contains(field.name())) data.set(field.name(), masked(event.get(field.pos())));
        }
        return entry;
    }

    private static JsonNode masked(Object value) {
        var json = JsonBody.mapper();
        if (value == null) return json.nullNode();
        if (value instanceof SealedSecret) return json.getNodeFactory().textNode(ConfigJson.MASK);
        if (value instanceof JsonText text) {
            try {
                return json.readTree(text.getJson());
            } catch (Exception e) {
                return json.getNodeFactory().textNode(text.getJson());
            }
        }
        if (value instanceof SpecificRecord record) {
            ObjectNode node = json.createObjectNode();
            record.getSchema().getFields().forEach(f -> node.set(f.name(), masked(record.get(f.pos()))));
            return node;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = json.createObjectNode();
            map.forEach((k, v) -> node.set(String.valueOf(k), masked(v)));
            return node;
        }
        if (value instanceof Collection<?> items) {
            ArrayNode node = json.createArrayNode();
            items.forEach(i -> node.add(masked(i)));
            return node;
        }
        if (value instanceof Long l) return json.getNodeFactory().numberNode(l);
        if (value instanceof Integer i) return json.getNodeFactory().numberNode(i);
        if (value instanceof Boolean b) return json.getNodeFactory().booleanNode(b);
        if (value instanceof Instant t) return json.getNodeFactory().textNode(t.toString());
        if (value instanceof Enum<?> e) return json.getNodeFactory().textNode(e.name());
        return json.getNodeFactory().textNode(value.toString());
    }
}
