package com.integrationshub.query.metrics;

import com.integrationshub.query.decide.DecisionObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The query service's own figures on /prometheus (names prefixed {@code hub_}), and the Kafka binders of its clients.
 * The HTTP server timers ({@code http_server_requests_seconds}) come from Micronaut's metrics filter.
 */
@Singleton
public class QueryMetrics implements DecisionObserver {

    /** Timers' histogram buckets span this range: a decision or a write rarely takes less or more. */
    private static final Duration SHORTEST = Duration.ofMillis(1);

    private static final Duration LONGEST = Duration.ofSeconds(30);

    private final MeterRegistry registry;

    public QueryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void accepted(String commandType, Duration sinceIssued) {
        Counter.builder("hub.commands.accepted")
                .description("Commands the command processor accepted, by command type")
                .tag("type", commandType)
                .register(registry)
                .increment();
        decision(commandType, "accepted", sinceIssued);
    }

    @Override
    public void rejected(String commandType, String reason, Duration sinceIssued) {
        Counter.builder("hub.commands.rejected")
                .description("Commands the command processor rejected, by command type and problem type")
                .tag("type", commandType)
                .tag("reason", reason)
                .register(registry)
                .increment();
        decision(commandType, "rejected", sinceIssued);
    }

    @Override
    public void repeated(String commandType) {
        Counter.builder("hub.commands.repeated")
                .description("Commands whose id was already decided, answered with their first outcome")
                .tag("type", commandType)
                .register(registry)
                .increment();
    }

    /** A write's command was accepted and the views show it: {@code elapsed} from sending it to its outcome here. */
    public void visible(String commandType, Duration elapsed) {
        timer(
                        "hub.write.visible",
                        "From sending a command to the views showing its event, as the writer waits",
                        commandType)
                .record(elapsed);
    }

    /** A record of {@code sourceTopic} that could not be read was sent to the dead-letter topic. */
    public void deadLetter(String sourceTopic) {
        Counter.builder("hub.dead.letters")
                .description("Records sent to the dead-letter topic, by the topic they could not be read from")
                .tag("topic", sourceTopic)
                .register(registry)
                .increment();
    }

    /** Binds the producer's metrics until the returned binder is closed. */
    public AutoCloseable bind(Producer<?, ?> producer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(registry);
        return metrics;
    }

    /** Binds the consumer's metrics (its lag included) until the returned binder is closed. */
    public AutoCloseable bind(Consumer<?, ?> consumer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(registry);
        return metrics;
    }

    /** Binds the metrics of the streams client and its clients (consumer lag included) until the binder is closed. */
    public AutoCloseable bind(KafkaStreams streams) {
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
        return metrics;
    }

    private void decision(String commandType, String outcome, Duration sinceIssued) {
        if (sinceIssued.isNegative()) return; // another instance's clock ahead of this one: no latency to tell
        Timer.builder("hub.command.decision")
                .description("From a command's issued_at to its decision, by command type and outcome")
                .tag("type", commandType)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(SHORTEST)
                .maximumExpectedValue(LONGEST)
                .register(registry)
                .record(sinceIssued);
    }

    private Timer timer(String name, String description, String commandType) {
        return Timer.builder(name)
                .description(description)
                .tag("type", commandType)
                .publishPercentileHistogram()
                .minimumExpectedValue(SHORTEST)
                .maximumExpectedValue(LONGEST)
                .register(registry);
    }
}
