package com.integrationshub.query.commands;

import com.integrationshub.query.metrics.QueryMetrics;
import com.integrationshub.registry.AvroDeserializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.replies.CommandOutcome;
import com.integrationshub.runtime.kafka.KafkaSettings;
import com.integrationshub.runtime.kafka.TopicProvisioner;
import com.integrationshub.runtime.registry.RegistryLogin;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of the outcomes topic (committed records only) from its end, and completes the request
 * waiting for each command id. Every instance reads all outcomes; only the one that sent the command waits for it.
 */
@Context
public class OutcomeListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeListener.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_RETRY = Duration.ofMillis(100);

    private final Map<String, CompletableFuture<CommandOutcome>> waiting = new ConcurrentHashMap<>();
    /** Keys many requests wait on at once (e.g. every refresh request of one token); each has its own future. */
    private final Map<String, Set<CompletableFuture<CommandOutcome>>> watching = new ConcurrentHashMap<>();

    private final KafkaConsumer<String, SpecificRecord> consumer;
    private final Thread thread;
    private final AutoCloseable consumerMetrics;
    private volatile boolean running = true;

    public OutcomeListener(KafkaSettings kafka, SchemaRegistryClient registry, QueryMetrics metrics) {
        TopicProvisioner.ensureTopics(kafka);
        RegistryLogin.check(registry);
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new AvroDeserializer(registry));
        List<TopicPartition> partitions = outcomePartitions(consumer, kafka);
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.consumerMetrics = metrics.bind(consumer);
        this.thread = new Thread(this::run, "outcome-listener");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The outcomes topic's partitions. A topic created a moment ago may not be in the consumer's metadata yet (an empty
     * list): assigning none would stop the listener at its first poll, so ask again until the admin timeout.
     */
    private static List<TopicPartition> outcomePartitions(
            KafkaConsumer<String, SpecificRecord> consumer, KafkaSettings kafka) {
        long deadline = System.nanoTime() + kafka.adminTimeout().toNanos();
        while (true) {
            List<TopicPartition> partitions = consumer.partitionsFor(kafka.outcomesTopic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            if (!partitions.isEmpty()) return partitions;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the outcomes topic " + kafka.outcomesTopic()
                        + " has no partitions in the broker's metadata within hub.kafka.admin-timeout ("
                        + kafka.adminTimeout() + ")");
            }
            try {
                Thread.sleep(METADATA_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the outcomes topic's metadata", e);
            }
        }
    }

    /** Registers interest in a command's outcome before the command is sent. */
    CompletableFuture<CommandOutcome> expect(String commandId) {
        return waiting.computeIfAbsent(commandId, id -> new CompletableFuture<>());
    }

    /** A new future completed by the next outcome under `key`, whoever else watches it too. */
    CompletableFuture<CommandOutcome> watch(String key) {
        CompletableFuture<CommandOutcome> future = new CompletableFuture<>();
        watching.compute(key, (k, set) -> {
            Set<CompletableFuture<CommandOutcome>> watchers = set == null ? ConcurrentHashMap.newKeySet() : set;
            watchers.add(future);
            return watchers;
        });
        return future;
    }

    /** Stops one watcher of `key`. */
    void unwatch(String key, CompletableFuture<CommandOutcome> future) {
        watching.computeIfPresent(key, (k, set) -> {
            set.remove(future);
            return set.isEmpty() ? null : set;
        });
    }

    /** Fails the request waiting for that command. */
    void fail(String commandId, Throwable error) {
        CompletableFuture<CommandOutcome> future = waiting.remove(commandId);
        if (future != null) future.completeExceptionally(error);
    }

    /** Stops waiting for that command. */
    void forget(String commandId) {
        waiting.remove(commandId);
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, SpecificRecord> records;
                try {
                    records = consumer.poll(POLL);
                } catch (RecordDeserializationException e) {
                    // An unreadable outcome answers no one; stopping here would leave every write waiting.
                    LOG.warn("skipping unreadable outcome {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                for (ConsumerRecord<String, SpecificRecord> record : records) {
                    if (record.key() == null || !(record.value() instanceof CommandOutcome outcome)) continue;
                    CompletableFuture<CommandOutcome> future = waiting.remove(record.key());
                    if (future != null) future.complete(outcome);
                    Set<CompletableFuture<CommandOutcome>> watchers = watching.remove(record.key());
                    if (watchers != null) watchers.forEach(w -> w.complete(outcome));
                }
            }
        } catch (WakeupException e) {
            if (running) LOG.error("outcome listener woken up unexpectedly", e);
        } catch (RuntimeException e) {
            LOG.error("outcome listener stopped: requests will answer 503 until restart", e);
        } finally {
            try {
                consumerMetrics.close();
            } catch (Exception e) {
                LOG.debug("could not unbind the outcome consumer's metrics", e);
            }
            consumer.close();
        }
    }

    @PreDestroy
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
