package com.integrationshub.refresher;

import com.integrationshub.commands.IssueToken;
import com.integrationshub.commands.RecordRefreshAttempt;
import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.commands.RecordTokenRefreshFailure;
import com.integrationshub.registry.AvroSerializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.runtime.kafka.KafkaSettings;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the refresher's commands to the commands topic, keyed by connection name (the key that decides tokens): the
 * new tokens through one producer, every other command through another, both acks=all and idempotent. Commands are serialised
 * here, on the sending thread, before the producer has them.
 */
@Singleton
public class CommandSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandSender.class);
    /** The commands the refresher sends: their schema ids are looked up at start, not on a first outcome. */
    private static final List<Schema> SCHEMAS = List.of(
            RecordRefreshAttempt.getClassSchema(),
            RecordTokenRefresh.getClassSchema(),
            RecordTokenRefreshFailure.getClassSchema(),
            IssueToken.getClassSchema());

    private final KafkaProducer<String, byte[]> producer;
    /**
     * The producer of new tokens (RecordTokenRefresh, IssueToken): a provider's answer is never queued behind the
     * requests of attempts and failures sent in a burst (at most 5 in flight per producer). Order between the two is
     * never needed for one token: a new pair is sent only after the token's attempt, and any command before it, is
     * decided. Failures stay with the attempts: a withdrawn or lost attempt's failure may follow an attempt not yet
     * acknowledged, and must not overtake it.
     */
    private final KafkaProducer<String, byte[]> outcomes;

    private final AvroSerializer serializer;
    private final SchemaRegistryClient registry;
    private final String topic;
    private final Duration closeTimeout;
    private final AutoCloseable producerMetrics;
    private final AutoCloseable outcomesMetrics;

    public CommandSender(
            KafkaSettings kafka,
            SchemaRegistryClient registry,
            RefresherSettings settings,
            ProducerSettings producerSettings,
            RefresherMetrics metrics) {
        final Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(
                ProducerConfig.LINGER_MS_CONFIG, (int) producerSettings.linger().toMillis());
        props.put(
                ProducerConfig.MAX_BLOCK_MS_CONFIG, producerSettings.maxBlock().toMillis());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "token-refresher-commands");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "token-refresher-outcomes");
        this.outcomes = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.serializer = new AvroSerializer(registry);
        this.registry = registry;
        this.topic = kafka.commandsTopic();
        this.closeTimeout = settings.handoverTimeout();
        this.producerMetrics = metrics.bind(producer);
        this.outcomesMetrics = metrics.bind(outcomes);
    }

    /**
     * Looks up the commands' schema ids and the commands topic's partitions, so the first outcome sent waits for
     * neither. Best effort: what fails here is looked up again on first use.
     */
    public void warm() {
        try {
            for (Schema schema : SCHEMAS) registry.register(AvroSerializer.subject(topic, schema), schema);
            producer.partitionsFor(topic);
            outcomes.partitionsFor(topic);
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not look up the commands' schemas or topic at start ({}); looked up on first send",
                    e.toString());
        }
    }

    /** Sends a command; completes when the broker has it (acks=all), or exceptionally. */
    public CompletableFuture<Void> send(String connectionName, SpecificRecord command) {
        return send(connectionName, command, null);
    }

    /** Sends a command, noting in {@code stamp} (if any) when it was serialised and handed to the producer. */
    CompletableFuture<Void> send(String connectionName, SpecificRecord command, RecordTimings.Stamp stamp) {
        final CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            final byte[] value = serializer.serialize(topic, command);
            if (stamp != null) stamp.serialised = System.nanoTime();
            final KafkaProducer<String, byte[]> to =
                    command instanceof RecordTokenRefresh || command instanceof IssueToken ? outcomes : producer;
            to.send(new ProducerRecord<>(topic, connectionName, value), (metadata, error) -> {
                if (error == null) acked.complete(null);
                else acked.completeExceptionally(error);
            });
            if (stamp != null) stamp.sent = System.nanoTime();
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }

    /** Sends what is buffered and closes the producer. */
    @Override
    public void close() {
        RefresherMetrics.unbind(producerMetrics);
        RefresherMetrics.unbind(outcomesMetrics);
        outcomes.close(closeTimeout);
        producer.close(closeTimeout);
    }
}
