package com.integrationshub.refresher;

import com.integrationshub.registry.AvroSerializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.runtime.kafka.KafkaSettings;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Sends the refresher's commands to the commands topic, keyed by connection name (the key that decides tokens). */
@Singleton
public class CommandSender implements AutoCloseable {

    private final KafkaProducer<String, SpecificRecord> producer;
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
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new AvroSerializer(registry));
        this.topic = kafka.commandsTopic();
        this.closeTimeout = settings.handoverTimeout();
        this.producerMetrics = metrics.bind(producer);
    }

    /** Sends a command; completes when the broker has it (acks=all), or exceptionally. */
    public CompletableFuture<Void> send(String connectionName, SpecificRecord command) {
        final CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, connectionName, command), (metadata, error) -> {
                if (error == null) acked.complete(null);
                else acked.completeExceptionally(error);
            });
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
