package com.integrationshub.refresher;

import io.micronaut.management.endpoint.annotation.Endpoint;
import io.micronaut.management.endpoint.annotation.Read;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code GET /refresher}: the schedule at a glance (tokens, scheduled, in flight, partitions, outcome counters). */
@Endpoint(id = "refresher", defaultSensitive = false)
public class RefresherEndpoint {

    private final RefreshEngine engine;
    private final Duration timeout;

    public RefresherEndpoint(RefreshEngine engine, RefresherSettings settings) {
        this.engine = engine;
        this.timeout = settings.handoverTimeout();
    }

    /** Returns a snapshot of the schedule. */
    @Read
    public RefreshEngine.Stats stats() throws ExecutionException, TimeoutException, InterruptedException {
        return engine.stats().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
