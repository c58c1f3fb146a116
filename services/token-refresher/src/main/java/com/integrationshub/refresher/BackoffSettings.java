package com.integrationshub.refresher;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How failed refreshes that may pass (5xx, timeouts) are retried (hub.refresher.backoff.*): retry n waits
 * {@code min(max, initial * 2^(n-1))}, its {@code jitter} fraction randomized, at most {@code maxAttempts} attempts
 * per round; then TokenRefreshFailed, and the next round after {@code roundPause}.
 *
 * @param initial     the backoff cap of the first retry
 * @param max         the largest backoff cap
 * @param jitter      the randomized fraction of each backoff, 0 (none) to 1 (full jitter)
 * @param maxAttempts attempts in one round, the first included
 * @param roundPause  the wait after a round that used all its attempts
 */
@ConfigurationProperties(BackoffSettings.PREFIX)
public record BackoffSettings(
        @Bindable(defaultValue = "1s") Duration initial,
        @Bindable(defaultValue = "1m") Duration max,
        @Bindable(defaultValue = "1.0") double jitter,
        @Bindable(defaultValue = "5") int maxAttempts,
        @Bindable(defaultValue = "5m") Duration roundPause) {

    /** The configuration prefix. */
    public static final String PREFIX = "hub.refresher.backoff";
}
