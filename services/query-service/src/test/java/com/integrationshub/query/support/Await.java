package com.integrationshub.query.support;

import com.integrationshub.testkit.Http;
import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition with a deadline instead of sleeping for a fixed time. */
public final class Await {

    private Await() {}

    /** Returns the first value that passes, or fails with the last one seen. */
    public static <T> T until(Duration timeout, Supplier<T> probe, java.util.function.Predicate<T> done, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = probe.get();
                if (done.test(last)) return last;
            } catch (RuntimeException e) {
                // not ready yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last seen: " + last);
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
