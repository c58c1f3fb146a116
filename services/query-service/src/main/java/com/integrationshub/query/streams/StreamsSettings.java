package com.integrationshub.query.streams;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Settings of the query service's Kafka Streams application (hub.streams.* in application.yml). The keys without a
 * default here are required.
 *
 * @param applicationId      the Streams application id; instances with the same id share the work
 * @param stateDir           where RocksDB keeps the stores
 * @param advertisedEndpoint host:port other instances use to reach this one; empty (the default) means the server's
 *                           own host and port
 * @param standbyReplicas    standby replicas of every store, so reads keep answering while an instance restarts
 * @param commitInterval     commit interval under exactly-once
 * @param pollInterval       the longest a stream thread waits in poll when no record comes (Streams' poll.ms):
 *                           it also bounds how late a due commit can be, so keep it no longer than the commit
 *                           interval (default 10 ms)
 * @param threads            stream threads of this instance
 * @param sessionTimeout     consumer session timeout: how soon a crashed instance's partitions move (default 10 s;
 *                           not in application.yml). An instance that closes leaves the group at once; the others
 *                           hear of the rebalance at their next heartbeat, every third of this and at most 3 s
 * @param sweepInterval      how often each task deletes processed command ids past their retention and expired
 *                           authorizations (default 1 min)
 */
@ConfigurationProperties("hub.streams")
public record StreamsSettings(
        String applicationId,
        String stateDir,
        @Bindable(defaultValue = "") String advertisedEndpoint,
        int standbyReplicas,
        Duration commitInterval,
        @Bindable(defaultValue = "10ms") Duration pollInterval,
        int threads,
        @Bindable(defaultValue = "10s") Duration sessionTimeout,
        @Bindable(defaultValue = "1m") Duration sweepInterval) {

    private static final Duration MAX_HEARTBEAT_INTERVAL = Duration.ofSeconds(3);

    /** How often the consumers heartbeat: a third of the session timeout, at most Kafka's default of 3 s. */
    public Duration heartbeatInterval() {
        Duration third = sessionTimeout.dividedBy(3);
        return third.compareTo(MAX_HEARTBEAT_INTERVAL) < 0 ? third : MAX_HEARTBEAT_INTERVAL;
    }

    /** The configured host:port, or the server's own when none is configured. */
    public String advertisedEndpoint(String serverHost, int serverPort) {
        return advertisedEndpoint.isBlank() ? serverHost + ":" + serverPort : advertisedEndpoint;
    }
}
