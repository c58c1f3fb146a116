package com.integrationshub.refresher;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The per-provider concurrency limit: one lane per scheme, host and port of a token URL, each with at most
 * {@code limit} calls in flight and a queue of the tokens that wait for a slot. Confined to the scheduler thread.
 */
final class ProviderLanes {

    private final int limit;
    private final Map<String, Lane> lanes = new HashMap<>();

    ProviderLanes(int limit) {
        this.limit = limit;
    }

    /** Returns the lane of a token URL's provider. */
    Lane lane(String tokenUrl) {
        final URI uri = URI.create(tokenUrl);
        final String key = uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
        return lanes.computeIfAbsent(key, k -> new Lane(k, limit));
    }

    /** Returns how many tokens wait for a slot in all lanes. */
    int waiting() {
        return lanes.values().stream().mapToInt(l -> l.waiting.size()).sum();
    }

    /** One provider's slots and queue. */
    static final class Lane {
        final String provider;
        private final int limit;
        private final ArrayDeque<TokenEntry> waiting = new ArrayDeque<>();
        private int active;

        private Lane(String provider, int limit) {
            this.provider = provider;
            this.limit = limit;
        }

        /** Takes a slot if one is free. */
        boolean tryAcquire() {
            if (active >= limit) return false;
            active++;
            return true;
        }

        /** Gives a slot back. */
        void release() {
            active--;
        }

        /** Queues a token for the next free slot. */
        void enqueue(TokenEntry token) {
            waiting.add(token);
        }

        /** Puts a token back at the head of the queue. */
        void enqueueFirst(TokenEntry token) {
            waiting.addFirst(token);
        }

        /** Returns the next queued token, or null. */
        TokenEntry next() {
            return waiting.poll();
        }
    }
}
