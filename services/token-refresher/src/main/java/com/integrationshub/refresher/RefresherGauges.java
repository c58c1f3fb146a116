package com.integrationshub.refresher;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The schedule's gauges: tokens by status, seconds until the soonest expiry, the due queue's size. The schedule
 * belongs to the scheduler thread, so a scrape asks the engine for one snapshot and every gauge of that scrape
 * reads it (kept {@link #FRESH_FOR}).
 */
@Context
public class RefresherGauges {

    private static final Duration FRESH_FOR = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(2);

    private final RefreshEngine engine;
    private RefreshSchedule.Figures last;
    private long lastAt;

    public RefresherGauges(RefreshEngine engine, MeterRegistry registry) {
        this.engine = engine;
        for (String status : new String[] {"active", "expired", "needs_reauth"}) {
            gauge("hub.refresher.tokens", "Tokens the refresher holds, by status", f -> switch (status) {
                        case "active" -> f.active();
                        case "expired" -> f.expired();
                        default -> f.needsReauth();
                    })
                    .tag("status", status)
                    .register(registry);
        }
        gauge(
                        "hub.refresher.soonest.expiry",
                        "Seconds until the soonest expiry of a token not needing reauthorization (negative: past;"
                                + " NaN: none)",
                        f -> f.soonestExpiresAt() == TokenEntry.NEVER
                                ? Double.NaN
                                : (f.soonestExpiresAt() - f.at()) / 1000.0)
                .baseUnit("seconds")
                .register(registry);
        gauge("hub.refresher.schedule.size", "Tokens in the refresher's due queue", f -> f.scheduled())
                .register(registry);
    }

    private Gauge.Builder<RefresherGauges> gauge(
            String name, String description, ToDoubleFunction<RefreshSchedule.Figures> read) {
        return Gauge.builder(name, this, g -> {
                    RefreshSchedule.Figures f = g.figures();
                    return f == null ? Double.NaN : read.applyAsDouble(f);
                })
                .description(description);
    }

    private synchronized RefreshSchedule.Figures figures() {
        long now = System.nanoTime();
        if (last != null && now - lastAt < FRESH_FOR.toNanos()) return last;
        try {
            last = engine.figures().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            lastAt = now;
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return null; // the engine stopped or is busy: NaN this time
        }
        return last;
    }
}
