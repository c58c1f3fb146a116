package com.integrationshub.bench;

import java.util.Arrays;

/** Durations in nanoseconds, recorded from many threads, summarised as percentiles in milliseconds. */
final class Latencies {

    private long[] values;
    private int size;

    Latencies(int expected) {
        this.values = new long[Math.max(16, expected)];
    }

    /** Records one duration. */
    synchronized void add(long nanos) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = nanos;
    }

    /** How many were recorded. */
    synchronized int count() {
        return size;
    }

    /** The p-th percentile (0..100, nearest rank) in milliseconds; NaN when empty. */
    synchronized double percentileMs(double p) {
        if (size == 0) return Double.NaN;
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.min(size - 1, Math.max(0, rank - 1))] / 1e6;
    }

    /** "p50 X ms, p99 Y ms, max Z ms (n=N)". */
    String summary() {
        return String.format(
                "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)",
                percentileMs(50), percentileMs(90), percentileMs(99), percentileMs(100), count());
    }
}
