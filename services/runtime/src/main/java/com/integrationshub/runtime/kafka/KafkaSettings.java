package com.integrationshub.runtime.kafka;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Where the broker is and what the service's topics are called (hub.kafka.* in application.yml). Every key but
 * {@code topics.dead-letters} is required: a service without one fails at start, naming it.
 *
 * @param bootstrapServers  the broker list, host:port[,host:port]
 * @param partitions        partitions of the topics this service creates
 * @param replicationFactor replication factor of the topics this service creates
 * @param adminTimeout      timeout of admin calls (topic creation, health)
 * @param outcomesRetention retention of the outcomes topic
 * @param topics            the topics' names
 * @param security          how every client authenticates and encrypts (hub.kafka.security.*, see
 *                          {@link KafkaSecurity}); a plain connection by default
 */
@ConfigurationProperties(KafkaSettings.PREFIX)
public record KafkaSettings(
        String bootstrapServers,
        int partitions,
        short replicationFactor,
        Duration adminTimeout,
        Duration outcomesRetention,
        Topics topics,
        KafkaSecurity security) {

    /** The configuration prefix. */
    public static final String PREFIX = "hub.kafka";

    /**
     * The topics' names (hub.kafka.topics.*).
     *
     * @param commands    the commands topic
     * @param events      the events topic, the source of truth
     * @param outcomes    the outcomes topic on which decisions reach the waiting HTTP request
     * @param deadLetters where records that cannot be read go (default {@code hub.dead-letters})
     */
    @ConfigurationProperties("topics")
    public record Topics(
            String commands,
            String events,
            String outcomes,
            @Bindable(defaultValue = "hub.dead-letters") String deadLetters) {}

    /**
     * The properties every Kafka client of the service starts from: the bootstrap servers and the security settings
     * (see {@link KafkaSecurity#clientConfigs()}); each client adds its own. Kafka Streams passes them on to its
     * consumers, producers and admin client.
     */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.putAll(security.clientConfigs());
        return props;
    }

    /** The commands topic. */
    public String commandsTopic() {
        return topics.commands();
    }

    /** The events topic, the source of truth. */
    public String eventsTopic() {
        return topics.events();
    }

    /** The outcomes topic on which decisions reach the waiting HTTP request. */
    public String outcomesTopic() {
        return topics.outcomes();
    }

    /** Where records of the commands and events topics that cannot be read go (see {@link DeadLetters}). */
    public String deadLettersTopic() {
        return topics.deadLetters();
    }
}
