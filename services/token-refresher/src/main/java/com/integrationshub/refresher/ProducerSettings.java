package com.integrationshub.refresher;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How the refresher sends its commands (hub.refresher.producer.*).
 *
 * @param linger   linger of the commands producer: 0, so an outcome (a provider may have spent a refresh token)
 *                 is sent at once rather than batched with others
 * @param maxBlock how long sending a command may block the scheduler (no broker metadata, full buffer) before it
 *                 fails; it is sent again after the outcome timeout
 */
@ConfigurationProperties(ProducerSettings.PREFIX)
public record ProducerSettings(
        @Bindable(defaultValue = "0ms") Duration linger,
        @Bindable(defaultValue = "5s") Duration maxBlock) {

    /** The configuration prefix. */
    public static final String PREFIX = "hub.refresher.producer";
}
