package com.integrationshub.refresher;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How the refresher reads the events topic (hub.refresher.consumer.*).
 *
 * @param pollTimeout       the longest poll of the events consumer
 * @param maxPendingBatches polled batches of events the consumer may hand over before the scheduler has applied them
 *                          (back pressure)
 */
@ConfigurationProperties(ConsumerSettings.PREFIX)
public record ConsumerSettings(@Bindable(defaultValue = "200ms") Duration pollTimeout,
                               @Bindable(defaultValue = "8") int maxPendingBatches) {

    /** The configuration prefix. */
    public static final String PREFIX = "hub.refresher.consumer";

    public ConsumerSettings {
        if (maxPendingBatches < 1) throw new IllegalArgumentException(PREFIX + ".max-pending-batches must be at least 1");
    }
}
