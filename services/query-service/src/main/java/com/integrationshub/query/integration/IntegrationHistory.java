package com.integrationshub.query.integration;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.integrationshub.query.json.EventJson;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.registry.AvroDeserializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.runtime.kafka.KafkaSettings;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
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
                        out.add(EventJson.entry(record.value()));
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
}
