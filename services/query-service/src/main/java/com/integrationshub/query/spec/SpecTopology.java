package com.integrationshub.query.spec;

import com.integrationshub.query.streams.TopologyAddition;
import com.integrationshub.runtime.kafka.KafkaSettings;
import com.integrationshub.runtime.kafka.TopicProvisioner;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** The specs topic and the global store over it that every instance reads documents from. */
@Singleton
public class SpecTopology implements TopologyAddition {

    /** The global store's name. */
    public static final String STORE = "provider-specs";

    private final KafkaSettings kafka;
    private final SpecSettings settings;

    public SpecTopology(KafkaSettings kafka, SpecSettings settings) {
        this.kafka = kafka;
        this.settings = settings;
    }

    @Override
    public void ensureTopics() {
        ensureTopic(kafka, settings);
    }

    @Override
    public void addTo(Topology topology) {
        addTo(topology, settings.topic());
    }

    /** A chunk plus room for the record's key and headers, and the batch around it. */
    static int maxMessageBytes(int chunkBytes) {
        return chunkBytes + 64 * 1024;
    }

    /**
     * Creates the specs topic if missing: compacted (the latest record of each chunk key is kept), zstd-compressed,
     * its record limit raised to a chunk's size.
     */
    public static void ensureTopic(KafkaSettings kafka, SpecSettings settings) {
        TopicProvisioner.create(
                kafka,
                List.of(new NewTopic(settings.topic(), kafka.partitions(), kafka.replicationFactor())
                        .configs(Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_COMPACT,
                                TopicConfig.COMPRESSION_TYPE_CONFIG,
                                "zstd",
                                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                Integer.toString(maxMessageBytes(settings.chunkBytes()))))));
        awaitPartitions(kafka, settings.topic());
    }

    // A global store fails the start if its topic's partitions are not known yet, and a topic just created takes a
    // moment to show in the metadata with leaders: wait for that (up to the admin timeout).
    private static void awaitPartitions(KafkaSettings kafka, String topic) {
        long deadline = System.nanoTime() + kafka.adminTimeout().toNanos();
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            while (true) {
                try {
                    TopicDescription description = admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(kafka.adminTimeout().toMillis(), TimeUnit.MILLISECONDS)
                            .get(topic);
                    if (description != null
                            && !description.partitions().isEmpty()
                            && description.partitions().stream()
                                    .allMatch(p ->
                                            p.leader() != null && !p.leader().isEmpty())) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the specs topic " + topic + " does not show up", e);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the specs topic " + topic + " has no led partitions");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the specs topic", e);
        }
    }

    /** Adds the global store of the specs topic to {@code topology}. */
    static void addTo(Topology topology, String topic) {
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                "specs-source",
                new StringDeserializer(),
                new ByteArrayDeserializer(),
                topic,
                "specs-loader",
                Loader::new);
    }

    private static final class Loader implements Processor<String, byte[], Void, Void> {
        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.key() == null) return;
            if (record.value() == null) store.delete(record.key());
            else store.put(record.key(), record.value());
        }
    }
}
