package com.integrationshub.refresher;

import com.integrationshub.events.OAuthConnectionDeleted;
import com.integrationshub.runtime.kafka.KafkaSettings;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the events topic in the refresher's consumer group, so each partition (each connection and its tokens)
 * has one owner, and hands the connection and token events to the {@link RefreshEngine}.
 *
 * <p>State comes from the log, not from committed offsets: an assigned partition is replayed from its beginning to
 * the end it had at assignment, then goes live. A revoked partition is handed over only after the engine has ended
 * its in-flight refreshes and their commands are acknowledged, and after the events deciding those commands are in
 * the log (read with a second consumer), bounded by hub.refresher.handover-timeout: the next owner's replay then
 * sees the rotated refresh tokens and never uses a spent one.
 */
@Singleton
public class TokenEventFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TokenEventFeed.class);

    private final KafkaSettings kafka;
    private final RefresherSettings settings;
    private final Duration pollTimeout;
    private final ConsumerSettings consumerSettings;
    private final EventDecoder decoder;
    private final RefreshEngine engine;
    private final DeadLetterPublisher deadLetters;
    private final RefresherMetrics metrics;
    private final Map<TopicPartition, Long> replayEnds = new HashMap<>();
    private final Thread thread;
    private volatile boolean running;
    private KafkaConsumer<String, byte[]> consumer;

    public TokenEventFeed(
            KafkaSettings kafka,
            RefresherSettings settings,
            ConsumerSettings consumerSettings,
            EventDecoder decoder,
            RefreshEngine engine,
            DeadLetterPublisher deadLetters,
            RefresherMetrics metrics) {
        this.kafka = kafka;
        this.settings = settings;
        this.pollTimeout = consumerSettings.pollTimeout();
        this.consumerSettings = consumerSettings;
        this.decoder = decoder;
        this.engine = engine;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "token-events");
        this.thread.setDaemon(true);
    }

    /** Joins the consumer group and starts consuming. */
    public void start() {
        running = true;
        thread.start();
    }

    /** Leaves the consumer group, handing over the partitions (bounded by the handover timeout), and stops. */
    @Override
    public void close() {
        if (!running) return;
        running = false;
        try {
            thread.join(settings.handoverTimeout().multipliedBy(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(consumerProperties(true), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            final AutoCloseable consumerMetrics = metrics.bind(c);
            try {
                c.subscribe(List.of(kafka.eventsTopic()), new Handover());
                while (running) {
                    final ConsumerRecords<String, byte[]> records = c.poll(pollTimeout);
                    engine.accept(decode(records));
                    checkReplays();
                }
                c.unsubscribe();
            } finally {
                RefresherMetrics.unbind(consumerMetrics);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the token events consumer stopped", e);
        }
    }

    private List<RefreshEngine.PartitionedEvent> decode(ConsumerRecords<String, byte[]> records)
            throws InterruptedException {
        final List<RefreshEngine.PartitionedEvent> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> r : records) {
            while (true) {
                try {
                    final SpecificRecord event = decoder.decode(r.topic(), r.partition(), r.offset(), r.value());
                    if (event != null) batch.add(new RefreshEngine.PartitionedEvent(r.partition(), event));
                    break;
                } catch (EventDecoder.UnreadableException e) {
                    deadLetters.publish(r, e);
                    break;
                } catch (EventDecoder.RegistryUnavailableException e) {
                    if (!running) return batch;
                    LOG.warn("{}; retrying offset {} of partition {}", e.getMessage(), r.offset(), r.partition());
                    Thread.sleep(pollTimeout.toMillis());
                }
            }
        }
        return batch;
    }

    private void checkReplays() {
        for (Iterator<Map.Entry<TopicPartition, Long>> it =
                        replayEnds.entrySet().iterator();
                it.hasNext(); ) {
            final Map.Entry<TopicPartition, Long> end = it.next();
            if (consumer.position(end.getKey()) >= end.getValue()) {
                engine.replayed(end.getKey().partition());
                it.remove();
            }
        }
    }

    private Properties consumerProperties(boolean inGroup) {
        final Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString().toLowerCase());
        if (inGroup) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
            props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
            // A crashed instance's partitions go to another one after this long (Kafka's default: 45 s).
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int)
                    consumerSettings.sessionTimeout().toMillis());
            props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int)
                    consumerSettings.heartbeatInterval().toMillis());
        }
        return props;
    }

    private static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }

    /** Replays assigned partitions; hands revoked ones over once their refreshes are decided. */
    private final class Handover implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) return;
            engine.assigned(numbers(partitions));
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition tp : partitions) {
                if (end.get(tp) <= begin.get(tp)) engine.replayed(tp.partition());
                else replayEnds.put(tp, end.get(tp));
            }
            LOG.info(
                    "assigned partitions {} of {}: replaying them from the beginning",
                    numbers(partitions),
                    kafka.eventsTopic());
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) return;
            final long deadline = System.nanoTime() + settings.handoverTimeout().toNanos();
            replayEnds.keySet().removeAll(partitions);
            final Map<TopicPartition, Long> positions = new HashMap<>();
            for (TopicPartition tp : partitions) {
                try {
                    positions.put(tp, consumer.position(tp));
                } catch (RuntimeException e) {
                    LOG.warn("no position for {}: {}", tp, e.toString());
                }
            }
            Map<String, Long> awaiting = Map.of();
            try {
                awaiting = engine.release(numbers(partitions))
                        .get(settings.handoverTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn(
                        "handing over partitions {}: token calls still in flight after {}",
                        numbers(partitions),
                        settings.handoverTimeout());
            } catch (ExecutionException e) {
                LOG.warn(
                        "handing over partitions {} failed: {}",
                        numbers(partitions),
                        e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!awaiting.isEmpty() && positions.size() == partitions.size()) {
                awaitOutcomes(positions, awaiting, deadline);
            }
            engine.drop(numbers(partitions));
            final long waitedMs = settings.handoverTimeout().toMillis() - (deadline - System.nanoTime()) / 1_000_000;
            LOG.info(
                    "released partitions {} of {} after {} ms; {} refresh outcomes awaited in the log",
                    numbers(partitions),
                    kafka.eventsTopic(),
                    waitedMs,
                    awaiting.size());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            replayEnds.keySet().removeAll(partitions);
            engine.drop(numbers(partitions));
            LOG.warn(
                    "lost partitions {} of {}: another instance owns them now",
                    numbers(partitions),
                    kafka.eventsTopic());
        }
    }

    /** Reads on from the positions until an event newer than each awaited version is in the log, or the deadline. */
    private void awaitOutcomes(Map<TopicPartition, Long> positions, Map<String, Long> awaiting, long deadline) {
        final Map<String, Long> remaining = new HashMap<>(awaiting);
        try (KafkaConsumer<String, byte[]> tail =
                new KafkaConsumer<>(consumerProperties(false), new StringDeserializer(), new ByteArrayDeserializer())) {
            tail.assign(positions.keySet());
            positions.forEach(tail::seek);
            while (!remaining.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : tail.poll(pollTimeout)) {
                    final SpecificRecord event;
                    try {
                        event = decoder.decode(r.topic(), r.partition(), r.offset(), r.value());
                    } catch (EventDecoder.RegistryUnavailableException | EventDecoder.UnreadableException e) {
                        // The group's own consumer reports unreadable records; this one only looks for outcomes.
                        continue;
                    }
                    if (event == null) continue;
                    if (event instanceof OAuthConnectionDeleted deleted) {
                        remaining.keySet().removeIf(id -> id.startsWith(deleted.getConnectionName() + "/"));
                    }
                    final String tokenId = EventDecoder.tokenId(event);
                    final Long awaited = tokenId == null ? null : remaining.get(tokenId);
                    if (awaited != null && EventDecoder.version(event) > awaited) remaining.remove(tokenId);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("reading the outcomes of handed-over refreshes failed: {}", e.toString());
        }
        if (!remaining.isEmpty()) {
            LOG.warn(
                    "handed over {} tokens whose refresh outcome is not in the log yet: {}",
                    remaining.size(),
                    remaining.keySet().stream().sorted().limit(10).collect(Collectors.joining(", ")));
        }
    }
}
