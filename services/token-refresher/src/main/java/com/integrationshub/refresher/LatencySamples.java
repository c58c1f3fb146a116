package com.integrationshub.refresher;

import java.util.Arrays;

/** The last {@code capacity} durations (nanoseconds) of something timed, kept for a benchmark to read. */
final class LatencySamples {

    private final long[] samples;
    private long count;

    LatencySamples(int capacity) {
        this.samples = new long[capacity];
    }

    synchronized void add(long nanos) {
        samples[(int) (count++ % samples.length)] = nanos;
    }

    /** The samples kept, in no particular order once more than the capacity were added. */
    synchronized long[] snapshot() {
        return Arrays.copyOf(samples, (int) Math.min(count, samples.length));
    }
}
