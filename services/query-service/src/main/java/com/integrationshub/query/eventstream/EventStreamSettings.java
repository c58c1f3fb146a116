package com.integrationshub.query.eventstream;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The events stream, GET /v1/events/stream (hub.events-stream.* in application.yml).
 *
 * @param maxStreams how many streams this instance serves at once (each holds a Kafka consumer and a thread); one more
 *     answers 503
 * @param heartbeat how long a stream stays silent at most: then it sends a comment, so proxies keep the connection
 *     open and a client that went away is noticed
 * @param pollTimeout how long one poll of the stream's consumer waits for records, which is also how soon a stream
 *     notices that its client went away
 */
@ConfigurationProperties("hub.events-stream")
public record EventStreamSettings(
        @Bindable(defaultValue = "16") int maxStreams,
        @Bindable(defaultValue = "15s") Duration heartbeat,
        @Bindable(defaultValue = "200ms") Duration pollTimeout) {

    public EventStreamSettings {
        if (maxStreams < 1) throw new IllegalArgumentException("hub.events-stream.max-streams must be at least 1");
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("hub.events-stream.heartbeat must be positive");
        }
        if (pollTimeout.isNegative() || pollTimeout.isZero()) {
            throw new IllegalArgumentException("hub.events-stream.poll-timeout must be positive");
        }
    }
}
