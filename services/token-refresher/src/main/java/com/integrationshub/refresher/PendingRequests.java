package com.integrationshub.refresher;

import java.util.ArrayList;
import java.util.List;

/**
 * The refresh requests ({@code TokenRefreshRequested}) of one token that no refresh has answered yet, oldest first,
 * each once. A value: every change returns a new one, and tokens without requests (nearly all) share {@link #NONE}.
 */
final class PendingRequests {

    /** No request. */
    static final PendingRequests NONE = new PendingRequests(List.of());

    private final List<String> ids;

    private PendingRequests(List<String> ids) {
        this.ids = ids;
    }

    /** Returns whether no request waits. */
    boolean isEmpty() {
        return ids.isEmpty();
    }

    /** Returns how many requests wait. */
    int size() {
        return ids.size();
    }

    /** Returns whether this request waits. */
    boolean contains(String requestId) {
        return ids.contains(requestId);
    }

    /** Returns the oldest request, or null when none waits. */
    String oldest() {
        return ids.isEmpty() ? null : ids.get(0);
    }

    /** Returns these requests without the oldest. */
    PendingRequests withoutOldest() {
        return ids.size() <= 1 ? NONE : new PendingRequests(List.copyOf(ids.subList(1, ids.size())));
    }

    /** Returns these requests and {@code requestId} last, unless it waits already. */
    PendingRequests with(String requestId) {
        if (ids.contains(requestId)) return this;
        final List<String> more = new ArrayList<>(ids.size() + 1);
        more.addAll(ids);
        more.add(requestId);
        return new PendingRequests(List.copyOf(more));
    }

    /** Returns these requests and {@code requestId} first (the request of an abandoned refresh goes back in front). */
    PendingRequests withFirst(String requestId) {
        final List<String> more = new ArrayList<>(ids.size() + 1);
        more.add(requestId);
        more.addAll(ids);
        return new PendingRequests(List.copyOf(more));
    }

    /** Returns these requests without {@code requestId} (an event answered it). */
    PendingRequests without(String requestId) {
        if (!ids.contains(requestId)) return this;
        if (ids.size() == 1) return NONE;
        final List<String> fewer = new ArrayList<>(ids);
        fewer.remove(requestId);
        return new PendingRequests(List.copyOf(fewer));
    }

    @Override
    public String toString() {
        return ids.toString();
    }
}
