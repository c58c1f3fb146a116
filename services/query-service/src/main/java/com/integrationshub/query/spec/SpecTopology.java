package com.integrationshub.query.spec;

import com.integrationshub.query.streams.TopologyAddition;
import com.integrationshub.runtime.kafka.KafkaSettings;
import com.integrationshub.runtime.kafka.TopicProvisioner;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
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
