package com.integrationshub.query.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {

    private static StreamsSettings withSessionTimeout(Duration sessionTimeout) {
        return new StreamsSettings(
                "hub",
                "/tmp/state",
                "",
                1,
                Duration.ofMillis(50),
                Duration.ofMillis(10),
                1,
                sessionTimeout,
                Duration.ofMinutes(1));
    }

    @Test
    void shouldHeartbeatEveryThirdOfAShortSessionTimeout() {
        assertEquals(
                Duration.ofSeconds(2), withSessionTimeout(Duration.ofSeconds(6)).heartbeatInterval());
    }

    @Test
    void shouldHeartbeatAtLeastEveryThreeSecondsWhateverTheSessionTimeout() {
        // The others hear of a rebalance (an instance that left, one that joined) only at their next heartbeat.
        assertEquals(
                Duration.ofSeconds(3),
                withSessionTimeout(Duration.ofSeconds(10)).heartbeatInterval());
        assertEquals(
                Duration.ofSeconds(3),
                withSessionTimeout(Duration.ofSeconds(90)).heartbeatInterval());
    }
}
