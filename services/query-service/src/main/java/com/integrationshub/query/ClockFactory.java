package com.integrationshub.query;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The service's one source of time: every "now" (issued_at of commands, expiries, token status, internal tokens)
 * comes from this clock, so a test can replace it (a bean that {@code @Replaces(Clock.class)}) with a fixed one.
 */
@Factory
public class ClockFactory {

    /** The system clock in UTC. */
    @Singleton
    public Clock clock() {
        return Clock.systemUTC();
    }
}
