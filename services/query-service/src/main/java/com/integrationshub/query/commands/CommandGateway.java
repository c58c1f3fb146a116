package com.integrationshub.query.commands;

import com.integrationshub.query.metrics.QueryMetrics;
import com.integrationshub.registry.AvroSerializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.replies.CommandOutcome;
import com.integrationshub.runtime.kafka.KafkaSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends a command to the commands topic and completes with its outcome: accepted once its event is in the views,
 * rejected with a problem, or a {@link DecisionTimeoutException} when no decision arrived in time.
 */
@Singleton
public class CommandGateway {

    private final KafkaProducer<String, SpecificRecord> producer;
    private final OutcomeListener outcomes;
    private final String commandsTopic;
    private final Duration decisionTimeout;
    private final QueryMetrics metrics;
    private final AutoCloseable producerMetrics;

    public CommandGateway(
            KafkaSettings kafka,
            SchemaRegistryClient registry,
            OutcomeListener outcomes,
            CommandSettings settings,
            QueryMetrics metrics) {
        Duration decisionTimeout = settings.decisionTimeout();
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) decisionTimeout.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) decisionTimeout.toMillis());
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new AvroSerializer(registry));
        this.outcomes = outcomes;
        this.commandsTopic = kafka.commandsTopic();
        this.decisionTimeout = decisionTimeout;
        this.metrics = metrics;
        this.producerMetrics = metrics.bind(producer);
    }

    /** Sends the command keyed by the aggregate that decides it; completes with the outcome. */
    public CompletableFuture<CommandOutcome> send(String partitionKey, String commandId, SpecificRecord command) {
        CompletableFuture<CommandOutcome> outcome = outcomes.expect(commandId);
        long sent = System.nanoTime();
        outcome.thenAccept(decided -> {
            if (decided.getAccepted())
                metrics.visible(command.getSchema().getName(), Duration.ofNanos(System.nanoTime() - sent));
        });
        producer.send(new ProducerRecord<>(commandsTopic, partitionKey, command), (metadata, error) -> {
            if (error != null) outcomes.fail(commandId, new DecisionTimeoutException(commandId, error));
        });
        return awaiting(commandId, outcome, decisionTimeout);
    }

    /** Waits for an outcome published under `key` (e.g. the answer to a refresh request); register before it can come. */
    public CompletableFuture<CommandOutcome> expect(String key, Duration timeout) {
        return awaiting(key, outcomes.expect(key), timeout);
    }

    /**
     * Waits for the next outcome published under `key` along with every other watcher of it (e.g. all the refresh
     * requests of one token are answered by the one refresh they joined); register before it can come.
     */
    public CompletableFuture<CommandOutcome> watch(String key, Duration timeout) {
        CompletableFuture<CommandOutcome> watched = outcomes.watch(key);
        return watched.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((result, error) -> outcomes.unwatch(key, watched))
                .exceptionallyCompose(error -> {
                    Throwable cause =
                            error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    return CompletableFuture.failedFuture(
                            cause instanceof TimeoutException ? new DecisionTimeoutException(key, cause) : cause);
                });
    }

    private CompletableFuture<CommandOutcome> awaiting(
            String key, CompletableFuture<CommandOutcome> outcome, Duration timeout) {
        return outcome.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((result, error) -> outcomes.forget(key))
                .exceptionallyCompose(error -> {
                    // whenComplete hands its dependents the timeout wrapped in a CompletionException.
                    Throwable cause =
                            error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    return CompletableFuture.failedFuture(
                            cause instanceof TimeoutException ? new DecisionTimeoutException(key, cause) : cause);
                });
    }

    @PreDestroy
    void close() throws Exception {
        producerMetrics.close();
        producer.close(Duration.ofSeconds(5));
    }
}
