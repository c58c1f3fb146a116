package com.integrationshub.refresher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the time of recorded provider answers goes, step by step, kept for the benchmark (RecordLatencyBench): from
 * the HTTP client's answer to the broker's acknowledgement of the command it leads to. A {@link Stamp} travels with one
 * answer; each step notes when it ended ({@link System#nanoTime}).
 */
final class RecordTimings {

    /** The steps, in order; each is timed from the end of the one before (the first from the answer). */
    static final String[] STEPS = {"sealed", "decided", "serialised", "sent", "acked"};

    private final LatencySamples total;
    private final LatencySamples[] steps = new LatencySamples[STEPS.length];

    RecordTimings(int capacity) {
        total = new LatencySamples(capacity);
        for (int i = 0; i < steps.length; i++) steps[i] = new LatencySamples(capacity);
    }

    /** When each step of one recorded answer ended. */
    static final class Stamp {
        final long answered;
        long sealed;
        long decided;
        long serialised;
        long sent;

        Stamp(long answered) {
            this.answered = answered;
        }
    }

    void add(Stamp s, long acked) {
        total.add(acked - s.answered);
        final long[] ends = {s.sealed, s.decided, s.serialised, s.sent, acked};
        long from = s.answered;
        for (int i = 0; i < ends.length; i++) {
            steps[i].add(ends[i] - from);
            from = ends[i];
        }
    }

    long[] total() {
        return total.snapshot();
    }

    /** Step name to its durations (nanoseconds), in step order. */
    Map<String, long[]> steps() {
        final Map<String, long[]> out = new LinkedHashMap<>();
        for (int i = 0; i < STEPS.length; i++) out.put(STEPS[i], steps[i].snapshot());
        return out;
    }
}
