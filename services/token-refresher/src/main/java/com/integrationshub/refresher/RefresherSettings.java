package com.integrationshub.refresher;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The refresher's group and timings (hub.refresher.* in application.yml, each with an environment override); the
 * backoff, the provider calls, the events consumer and the commands producer have their own types beside it.
 *
 * @param groupId           the consumer group of the refresher instances: each partition, so each token, has one owner
 * @param defaultMargin     refresh this long before expiry when the connection sets no margin (at most half the
 *                          token's lifetime)
 * @param floor             never refresh a token younger than this
 * @param idleRefreshPeriod refresh tokens without expiry, or expiring far away, at least this often
 * @param handoverTimeout   how long a revoked partition waits for its in-flight refreshes and their outcomes before
 *                          the next owner starts
 * @param outcomeTimeout    how long to wait for the event that decides a sent command before sending it again (same
 *                          command id)
 */
@ConfigurationProperties(RefresherSettings.PREFIX)
public record RefresherSettings(
        @Bindable(defaultValue = "token-refresher") String groupId,
        @Bindable(defaultValue = "5m") Duration defaultMargin,
        @Bindable(defaultValue = "1s") Duration floor,
        @Bindable(defaultValue = "1d") Duration idleRefreshPeriod,
        @Bindable(defaultValue = "20s") Duration handoverTimeout,
        @Bindable(defaultValue = "30s") Duration outcomeTimeout) {

    /** The configuration prefix. */
    public static final String PREFIX = "hub.refresher";
}
