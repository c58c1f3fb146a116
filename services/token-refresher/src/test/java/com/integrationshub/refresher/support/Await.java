package com.integrationshub.refresher.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition with a deadline instead of sleeping for a fixed time. */
public final class Await {

    private static final long POLL_MS = 20;

    private Await() {}

    /** Waits until the condition holds, or fails saying what was awaited and what {@code state} shows. */
    public static void until(Duration timeout, BooleanSupplier condition, String what, Supplier<Object> state) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after " + timeout + " waiting for " + what + "; state: " + state.get());
            }
            pause();
        }
    }

    /** Waits until the condition holds. */
    public static void until(Duration timeout, BooleanSupplier condition, String what) {
        until(timeout, condition, what, () -> "-");
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
