package com.integrationshub.refresher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import jakarta.inject.Singleton;
import java.net.URI;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refresher's counters on /prometheus (names prefixed {@code hub_}) and the Kafka binders of its clients; the
 * schedule's gauges are {@link RefresherGauges}. The schedule itself knows no metrics library: the engine and the
 * Kafka clients around it record here.
 */
@Singleton
public class RefresherMetrics {

    /** The outcome label of a provider's answer. */
    static final String REFRESHED = "refreshed";

    static final String RETRIED = "retried";
    static final String NEEDS_REAUTH = "needs_reauth";

    private static final Logger LOG = LoggerFactory.getLogger(RefresherMetrics.class);

    private final MeterRegistry registry;

    public RefresherMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The host of a token URL, the provider label of a refresh (few values, unlike the URL's path). */
    static String host(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? "unknown" : host;
        } catch (IllegalArgumentException e) {
            return "unknown";
        }
    }

    /**
     * A provider answered a token call: {@code refreshed} (new tokens), {@code retried} (a failure the token is tried
     * again after: a backoff, or the next round) or {@code needs_reauth} (the provider refused the grant).
     */
    void answered(String providerHost, ProviderAnswer answer) {
        String outcome = answer instanceof ProviderAnswer.Granted
                ? REFRESHED
                : answer instanceof ProviderAnswer.Refused ? NEEDS_REAUTH : RETRIED;
        Counter.builder("hub.refresher.refreshes")
                .description("Answers to the refresher's token calls, by outcome and provider host")
                .tag("outcome", outcome)
                .tag("provider", providerHost)
                .register(registry)
                .increment();
    }

    /** A record of {@code sourceTopic} that could not be read was sent to the dead-letter topic. */
    void deadLetter(String sourceTopic) {
        Counter.builder("hub.dead.letters")
                .description("Records sent to the dead-letter topic, by the topic they could not be read from")
                .tag("topic", sourceTopic)
                .register(registry)
                .increment();
    }

    /** Binds the producer's metrics until the returned binder is closed. */
    AutoCloseable bind(Producer<?, ?> producer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(registry);
        return metrics;
    }

    /** Binds the consumer's metrics (its lag included) until the returned binder is closed. */
    AutoCloseable bind(Consumer<?, ?> consumer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(registry);
        return metrics;
    }

    /** Closes a binder, never throwing. */
    static void unbind(AutoCloseable binder) {
        try {
            binder.close();
        } catch (Exception e) {
            LOG.debug("could not unbind Kafka client metrics", e);
        }
    }
}
