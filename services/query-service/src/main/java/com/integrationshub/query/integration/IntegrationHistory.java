package com.integrationshub.query.integration;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.integrationshub.query.json.EventJson;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.route.ViewPartition;
import com.integrationshub.registry.AvroDeserializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.registry.SchemaRegistryException;
import com.integrationshub.runtime.kafka.KafkaSettings;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads an integration's history from the events topic itself: its partition, its key, oldest first. */
@Singleton
public class IntegrationHistory {

    private static final Duration POLL = Duration.ofMillis(200);

    private static final Logger LOG = LoggerFactory.getLogger(IntegrationHistory.class);

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
        AvroDeserializer avro = new AvroDeserializer(registry);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            int partitions = consumer.partitionsFor(kafka.eventsTopic()).size();
            TopicPartition partition = new TopicPartition(kafka.eventsTopic(), ViewPartition.of(name, partitions));
            List<TopicPartition> assigned = List.of(partition);
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            long end = consumer.endOffsets(assigned).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (!name.equals(record.key()) || record.value() == null) continue;
                    Optional<SpecificRecord> event = decode(avro, record);
                    if (event.isPresent() && ofIntegration(event.get())) out.add(EventJson.entry(event.get()));
                }
            }
        }
        return out;
    }

    /**
     * The event a record holds; empty for one that cannot be read (the view builder dead-letters those): the history
     * goes on past it. A registry that does not answer is not the record's fault: that fails the read (503 path).
     */
    private static Optional<SpecificRecord> decode(AvroDeserializer avro, ConsumerRecord<String, byte[]> record) {
        try {
            return Optional.ofNullable(avro.deserialize(record.topic(), record.value()));
        } catch (RuntimeException e) {
            if (SchemaRegistryException.isUnavailable(e)) throw e;
            LOG.warn(
                    "history of {}: passing over the unreadable record at {}-{}@{}: {}",
                    record.key(),
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    // A connection may share the integration's name (and so its key); its events are not this history.
    private static boolean ofIntegration(SpecificRecord event) {
        Schema.Field aggregate = event.getSchema().getField("aggregate_id");
        return aggregate != null && String.valueOf(event.get(aggregate.pos())).startsWith("integration/");
    }
}
