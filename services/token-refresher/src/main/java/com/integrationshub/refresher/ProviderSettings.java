package com.integrationshub.refresher;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How the refresher calls providers' token endpoints (hub.refresher.provider.*).
 *
 * @param maxConcurrency concurrent token calls per provider (scheme, host and port of the token URL)
 * @param connectTimeout connect timeout of a token call
 * @param readTimeout    read timeout of a token call; a call that times out is retried only where the connection's
 *                       {@code refresh_token_rotation} tolerates presenting its refresh token again
 * @param threads        threads kept for token calls (more are started while many calls resolve host names at once)
 */
@ConfigurationProperties(ProviderSettings.PREFIX)
public record ProviderSettings(
        @Bindable(defaultValue = "16") int maxConcurrency,
        @Bindable(defaultValue = "5s") Duration connectTimeout,
        @Bindable(defaultValue = "10s") Duration readTimeout,
        @Bindable(defaultValue = "2") int threads) {

    /** The configuration prefix. */
    public static final String PREFIX = "hub.refresher.provider";

    public ProviderSettings {
        if (maxConcurrency < 1) throw new IllegalArgumentException(PREFIX + ".max-concurrency must be at least 1");
        if (threads < 1) throw new IllegalArgumentException(PREFIX + ".threads must be at least 1");
    }
}
