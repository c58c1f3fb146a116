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

    /**
     * One producer for every command: with idempotence, the commands of one connection reach its partition in the
     * order they were sent, so a record of new tokens and an attempt or failure sent after it are decided in that
     * order (a second producer for new tokens once let a later failure be decided first).
     */
    private final KafkaProducer<String, byte[]> producer;

    private final AvroSerializer serializer;
    private final SchemaRegistryClient registry;
    private final String topic;
    private final Duration closeTimeout;
    private final AutoCloseable producerMetrics;

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
        this.serializer = new AvroSerializer(registry);
        this.registry = registry;
        this.topic = kafka.commandsTopic();
        this.closeTimeout = settings.handoverTimeout();
        this.producerMetrics = metrics.bind(producer);
    }

    /**
     * Looks up the commands' schema ids and the commands topic's partitions, so the first outcome sent waits for
     * neither. Best effort: what fails here is looked up again on first use.
     */
    public void warm() {
        try {
            for (Schema schema : SCHEMAS) registry.register(AvroSerializer.subject(topic, schema), schema);
            producer.partitionsFor(topic);
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
            producer.send(new ProducerRecord<>(topic, connectionName, value), (metadata, error) -> {
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
        producer.close(closeTimeout);
    }
}
