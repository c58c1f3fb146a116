package com.integrationshub.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compacted one-partition topic that keeps the local registry's schemas and configs: created when missing, read
 * to its end at start, and appended to with acknowledged writes.
 */
final class SchemasTopic implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemasTopic.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final TopicPartition partition;
    private final String bootstrapServers;
    private final KafkaProducer<String, String> producer;

    private SchemasTopic(String name, String bootstrapServers, KafkaProducer<String, String> producer) {
        this.name = name;
        this.partition = new TopicPartition(name, 0);
        this.bootstrapServers = bootstrapServers;
        this.producer = producer;
    }

    /** Returns the topic {@code name}, created with one partition and compaction if missing, ready for appends. */
    static SchemasTopic open(String bootstrapServers, String name, short replicationFactor) {
        ensureExists(bootstrapServers, name, replicationFactor);
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "schema-registry-" + name);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new SchemasTopic(name, bootstrapServers, new KafkaProducer<>(props));
    }

    /** Returns the topic's name. */
    String name() {
        return name;
    }

    /** Hands every record from the beginning to the current end to {@code apply} (key, value; value null = tombstone). */
    void readToEnd(BiConsumer<String, String> apply) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "schema-registry-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
            final long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(partition, TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read topic " + name + " to its end (offset " + end
                            + ") within " + TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    apply.accept(record.key(), record.value());
                }
            }
            LOG.debug("Read {} to offset {}", name, end);
        }
    }

    /** Appends one record and returns once every in-sync replica has it. */
    void append(String key, String value) {
        try {
            producer.send(new ProducerRecord<>(name, 0, key, value)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(500, ApiError.STORE_ERROR, "Interrupted while writing to topic " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            final Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new ApiError(
                    500,
                    ApiError.STORE_ERROR,
                    "Error while writing to the schemas topic " + name + ": " + cause,
                    cause);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private static void ensureExists(String bootstrapServers, String name, short replicationFactor) {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
        try (Admin admin = Admin.create(props)) {
            final TopicDescription description = describe(admin, name);
            if (description == null) {
                try {
                    admin.createTopics(List.of(new NewTopic(name, 1, replicationFactor)
                                    .configs(Map.of(
                                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                            .all()
                            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    LOG.info(
                            "Created schemas topic {} (1 partition, compacted, replication factor {})",
                            name,
                            replicationFactor);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "cannot create schemas topic " + name + ": " + e.getCause(), e.getCause());
                    }
                }
            } else if (description.partitions().size() != 1) {
                throw new IllegalStateException("schemas topic " + name + " has "
                        + description.partitions().size()
                        + " partitions; the registry needs exactly 1 to keep its writes in order");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing schemas topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka at " + bootstrapServers + " did not answer within " + TIMEOUT.toSeconds()
                            + " s while preparing schemas topic " + name,
                    e);
        }
    }

    private static TopicDescription describe(Admin admin, String name) throws InterruptedException, TimeoutException {
        try {
            return admin.describeTopics(List.of(name))
                    .allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(name);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw new IllegalStateException(
                    "cannot describe schemas topic " + name + ": " + e.getCause(), e.getCause());
        }
    }
}
