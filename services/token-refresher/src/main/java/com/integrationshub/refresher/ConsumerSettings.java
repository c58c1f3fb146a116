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
 * @param sessionTimeout    how long the group waits for a silent (crashed) instance before another takes its
 *                          partitions over (Kafka's session.timeout.ms; its 45 s default left tokens unowned that long;
 *                          the broker allows 6 s at least)
 * @param heartbeatInterval how often an instance tells the group it is alive (heartbeat.interval.ms; a third of the
 *                          session timeout or less)
 */
@ConfigurationProperties(ConsumerSettings.PREFIX)
public record ConsumerSettings(
        @Bindable(defaultValue = "200ms") Duration pollTimeout,
        @Bindable(defaultValue = "8") int maxPendingBatches,
        @Bindable(defaultValue = "10s") Duration sessionTimeout,
        @Bindable(defaultValue = "3s") Duration heartbeatInterval) {

    /** The configuration prefix. */
    public static final String PREFIX = "hub.refresher.consumer";

    public ConsumerSettings {
        if (maxPendingBatches < 1)
            throw new IllegalArgumentException(PREFIX + ".max-pending-batches must be at least 1");
        if (heartbeatInterval.compareTo(sessionTimeout) >= 0) {
            throw new IllegalArgumentException(PREFIX + ".heartbeat-interval must be below the session timeout");
        }
    }
}
