package com.integrationshub.query.support;

import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.Poll;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls a condition with a deadline instead of sleeping for a fixed time. */
public final class Await {

    private Await() {}

    /** Returns the first value that passes, or fails with the last one seen (see {@link Poll#until}). */
    public static <T> T until(Duration timeout, Supplier<T> probe, Predicate<T> done, String what) {
        return Poll.until(timeout, probe, done, what);
    }

    /** Waits until the instance answers reads. */
    public static void ready(Http http) {
        until(
                Duration.ofSeconds(90),
                () -> http.get("/health"),
                r -> r.status() == 200,
                "the instance's /health to be UP (views queryable)");
        until(
                Duration.ofSeconds(60),
                () -> http.get("/v1/integrations"),
                r -> r.status() == 200,
                "the instance to answer GET /v1/integrations");
    }
}
