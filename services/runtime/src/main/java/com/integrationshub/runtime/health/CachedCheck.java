package com.integrationshub.runtime.health;

import io.micronaut.management.health.indicator.HealthResult;
import java.time.Duration;
import java.util.concurrent.Callable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A health check that calls out (broker, registry) at most once per period: /health is open, and each real check
 * costs the service and its dependency milliseconds of CPU.
 */
final class CachedCheck {

    private final Callable<HealthResult> check;
    private final long periodNanos;
    private volatile HealthResult last;
    private volatile long checkedAt;

    CachedCheck(Callable<HealthResult> check, Duration period) {
        this.check = check;
        this.periodNanos = period.toNanos();
    }

    /** The last result while it is fresh, else a new check (off the event loop). */
    Mono<HealthResult> result() {
        HealthResult cached = last;
        if (cached != null && System.nanoTime() - checkedAt < periodNanos) return Mono.just(cached);
        return Mono.fromCallable(check).subscribeOn(Schedulers.boundedElastic()).doOnNext(result -> {
            last = result;
            checkedAt = System.nanoTime();
        });
    }
}
