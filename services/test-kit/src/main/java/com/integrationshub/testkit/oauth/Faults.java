package com.integrationshub.testkit.oauth;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The faults the next token calls answer with: those queued for a token family first, then those queued for any
 * call, then the sticky one. Not thread-safe: the stand-in calls it under its lock.
 */
final class Faults {

    private final Deque<Fault> queued = new ArrayDeque<>();
    private final Map<String, Deque<Fault>> queuedByFamily = new HashMap<>();
    private Fault sticky;

    void failNext(int calls, Fault fault) {
        for (int i = 0; i < calls; i++) queued.addLast(fault);
    }

    void failNext(String family, int calls, Fault fault) {
        final Deque<Fault> queue = queuedByFamily.computeIfAbsent(family, f -> new ArrayDeque<>());
        for (int i = 0; i < calls; i++) queue.addLast(fault);
    }

    void failAlways(Fault fault) {
        sticky = fault;
    }

    void clear() {
        queued.clear();
        queuedByFamily.clear();
        sticky = null;
    }

    /** Takes the fault for the next call of {@code family} (null when the call is of no known family), or null. */
    Fault next(String family) {
        if (family != null) {
            final Deque<Fault> queue = queuedByFamily.get(family);
            if (queue != null && !queue.isEmpty()) return queue.pollFirst();
        }
        if (!queued.isEmpty()) return queued.pollFirst();
        return sticky;
    }
}
