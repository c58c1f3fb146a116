package com.integrationshub.refresher;

import com.integrationshub.domain.token.RefreshPolicy;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;

/** The refresher's settings (hub.refresher.* in application.yml, each with an environment override). */
@Singleton
public final class RefresherSettings {

    private final String groupId;
    private final RefreshPolicy.Settings policy;
    private final int providerConcurrency;
    private final Duration providerConnectTimeout;
    private final Duration providerReadTimeout;
    private final int providerThreads;
    private final Duration handoverTimeout;
    private final Duration outcomeTimeout;
    private final Duration pollTimeout;
    private final int maxPendingBatches;
    private final Duration producerLinger;
    private final Duration producerMaxBlock;

    public RefresherSettings(@Value("${hub.refresher.group-id}") String groupId,
                             @Value("${hub.refresher.default-margin}") Duration defaultMargin,
                             @Value("${hub.refresher.floor}") Duration floor,
                             @Value("${hub.refresher.idle-refresh-period}") Duration idleRefreshPeriod,
                             @Value("${hub.refresher.backoff.initial}") Duration initialBackoff,
                             @Value("${hub.refresher.backoff.max}") Duration maxBackoff,
                             @Value("${hub.refresher.backoff.jitter}") double jitter,
                             @Value("${hub.refresher.backoff.max-attempts}") int maxAttempts,
                             @Value("${hub.refresher.backoff.round-pause}") Duration roundPause,
                             @Value("${hub.refresher.provider.max-concurrency}") int providerConcurrency,
                             @Value("${hub.refresher.provider.connect-timeout}") Duration providerConnectTimeout,
                             @Value("${hub.refresher.provider.read-timeout}") Duration providerReadTimeout,
                             @Value("${hub.refresher.provider.threads}") int providerThreads,
                             @Value("${hub.refresher.handover-timeout}") Duration handoverTimeout,
                             @Value("${hub.refresher.outcome-timeout}") Duration outcomeTimeout,
                             @Value("${hub.refresher.consumer.poll-timeout}") Duration pollTimeout,
                             @Value("${hub.refresher.consumer.max-pending-batches}") int maxPendingBatches,
                             @Value("${hub.refresher.producer.linger}") Duration producerLinger,
                             @Value("${hub.refresher.producer.max-block}") Duration producerMaxBlock) {
        this.groupId = groupId;
        this.policy = new RefreshPolicy.Settings(defaultMargin, floor, idleRefreshPeriod, initialBackoff, maxBackoff,
                jitter, maxAttempts, roundPause);
        if (providerConcurrency < 1) throw new IllegalArgumentException("hub.refresher.provider.max-concurrency must be at least 1");
        if (providerThreads < 1) throw new IllegalArgumentException("hub.refresher.provider.threads must be at least 1");
        if (maxPendingBatches < 1) throw new IllegalArgumentException("hub.refresher.consumer.max-pending-batches must be at least 1");
        this.providerConcurrency = providerConcurrency;
        this.providerConnectTimeout = providerConnectTimeout;
        this.providerReadTimeout = providerReadTimeout;
        this.providerThreads = providerThreads;
        this.handoverTimeout = handoverTimeout;
        this.outcomeTimeout = outcomeTimeout;
        this.pollTimeout = pollTimeout;
        this.maxPendingBatches = maxPendingBatches;
        this.producerLinger = producerLinger;
        this.producerMaxBlock = producerMaxBlock;
    }

    /** The consumer group of the refresher instances: each partition, so each token, has one owner. */
    public String groupId() { return groupId; }

    /** When to refresh and how to back off. */
    public RefreshPolicy.Settings policy() { return policy; }

    /** Concurrent token calls per provider (scheme, host and port of the token URL). */
    public int providerConcurrency() { return providerConcurrency; }

    /** Connect timeout of a token call. */
    public Duration providerConnectTimeout() { return providerConnectTimeout; }

    /** Read timeout of a token call; a call that times out is retried like a 5xx. */
    public Duration providerReadTimeout() { return providerReadTimeout; }

    /** Threads kept for calls to providers (more are started while many calls resolve host names at once). */
    public int providerThreads() { return providerThreads; }

    /** How long a revoked partition waits for its in-flight refreshes and their outcomes before the next owner starts. */
    public Duration handoverTimeout() { return handoverTimeout; }

    /** How long to wait for the event that decides a sent command before sending it again (same command id). */
    public Duration outcomeTimeout() { return outcomeTimeout; }

    /** The longest poll of the events consumer. */
    public Duration pollTimeout() { return pollTimeout; }

    /** Polled batches of events the consumer may hand over before the scheduler has applied them (back pressure). */
    public int maxPendingBatches() { return maxPendingBatches; }

    /** Linger of the commands producer. */
    public Duration producerLinger() { return producerLinger; }

    /** How long sending a command may block the scheduler (no broker metadata, full buffer) before it fails. */
    public Duration producerMaxBlock() { return producerMaxBlock; }
}
