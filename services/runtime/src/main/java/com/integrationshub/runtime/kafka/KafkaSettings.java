package com.integrationshub.runtime.kafka;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;

/** Where the broker is and what the service's topics are called (hub.kafka.* in application.yml). */
@Singleton
public final class KafkaSettings {

    private final String bootstrapServers;
    private final int partitions;
    private final short replicationFactor;
    private final Duration adminTimeout;
    private final String commandsTopic;
    private final String eventsTopic;
    private final String outcomesTopic;
    private final Duration outcomesRetention;
    private final String deadLettersTopic;

    public KafkaSettings(@Value("${hub.kafka.bootstrap-servers}") String bootstrapServers,
                         @Value("${hub.kafka.partitions}") int partitions,
                         @Value("${hub.kafka.replication-factor}") short replicationFactor,
                         @Value("${hub.kafka.admin-timeout}") Duration adminTimeout,
                         @Value("${hub.kafka.topics.commands}") String commandsTopic,
                         @Value("${hub.kafka.topics.events}") String eventsTopic,
                         @Value("${hub.kafka.topics.outcomes}") String outcomesTopic,
                         @Value("${hub.kafka.outcomes-retention}") Duration outcomesRetention,
                         @Value("${hub.kafka.topics.dead-letters:hub.dead-letters}") String deadLettersTopic) {
        this.bootstrapServers = bootstrapServers;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.adminTimeout = adminTimeout;
        this.commandsTopic = commandsTopic;
        this.eventsTopic = eventsTopic;
        this.outcomesTopic = outcomesTopic;
        this.outcomesRetention = outcomesRetention;
        this.deadLettersTopic = deadLettersTopic;
    }

    /** The broker list, host:port[,host:port]. */
    public String bootstrapServers() { return bootstrapServers; }

    /** Partitions of the topics this service creates. */
    public int partitions() { return partitions; }

    /** Replication factor of the topics this service creates. */
    public short replicationFactor() { return replicationFactor; }

    /** Timeout of admin calls (topic creation, health). */
    public Duration adminTimeout() { return adminTimeout; }

    /** The commands topic. */
    public String commandsTopic() { return commandsTopic; }

    /** The events topic, the source of truth. */
    public String eventsTopic() { return eventsTopic; }

    /** The outcomes topic on which decisions reach the waiting HTTP request. */
    public String outcomesTopic() { return outcomesTopic; }

    /** Where records of the commands and events topics that cannot be read go (see {@link DeadLetters}). */
    public String deadLettersTopic() { return deadLettersTopic; }

    /** Retention of the outcomes topic. */
    public Duration outcomesRetention() { return outcomesRetention; }
}
