package com.integrationshub.query.streams;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;

/** Settings of the query service's Kafka Streams application (hub.streams.* in application.yml). */
@Singleton
public final class StreamsSettings {

    private final String applicationId;
    private final String stateDir;
    private final String advertisedEndpoint;
    private final int standbyReplicas;
    private final Duration commitInterval;
    private final int threads;
    private final Duration sessionTimeout;
    private final StoreRetention retention;
    private final Duration refreshMinInterval;

    public StreamsSettings(@Value("${hub.streams.application-id}") String applicationId,
                           @Value("${hub.streams.state-dir}") String stateDir,
                           @Value("${hub.streams.advertised-endpoint:}") String advertisedEndpoint,
                           @Value("${hub.streams.standby-replicas}") int standbyReplicas,
                           @Value("${hub.streams.commit-interval}") Duration commitInterval,
                           @Value("${hub.streams.threads}") int threads,
                           @Value("${hub.streams.session-timeout:10s}") Duration sessionTimeout,
                           @Value("${hub.commands.idempotency-retention:24h}") Duration idempotencyRetention,
                           @Value("${hub.streams.sweep-interval:1m}") Duration sweepInterval,
                           @Value("${hub.refresher.min-interval:30s}") Duration refreshMinInterval) {
        this.applicationId = applicationId;
        this.stateDir = stateDir;
        this.advertisedEndpoint = advertisedEndpoint;
        this.standbyReplicas = standbyReplicas;
        this.commitInterval = commitInterval;
        this.threads = threads;
        this.sessionTimeout = sessionTimeout;
        this.retention = new StoreRetention(idempotencyRetention, sweepInterval);
        this.refreshMinInterval = refreshMinInterval;
    }

    /** The Streams application id; instances with the same id share the work. */
    public String applicationId() { return applicationId; }

    /** Where RocksDB keeps the stores. */
    public String stateDir() { return stateDir; }

    /** Standby replicas of every store, so reads keep answering while an instance restarts. */
    public int standbyReplicas() { return standbyReplicas; }

    /** Commit interval under exactly-once. */
    public Duration commitInterval() { return commitInterval; }

    /** Stream threads of this instance. */
    public int threads() { return threads; }

    /** Consumer session timeout: how soon a dead instance's partitions move. */
    public Duration sessionTimeout() { return sessionTimeout; }

    /** How long processed command ids are kept, and how often expired entries are deleted. */
    public StoreRetention retention() { return retention; }

    /** A token refreshed less than this ago is not refreshed again on request (answered with its current expiry). */
    public Duration refreshMinInterval() { return refreshMinInterval; }

    /** The configured host:port, or the server's own when none is configured. */
    public String advertisedEndpoint(String serverHost, int serverPort) {
        return advertisedEndpoint.isBlank() ? serverHost + ":" + serverPort : advertisedEndpoint;
    }
}
