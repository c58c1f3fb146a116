package com.integrationshub.refresher;

import java.util.Arrays;

/**
 * The tokens waiting for a time, earliest first: a binary min-heap on {@link TokenEntry#dueAt} that keeps each
 * token's index in it, so moving or removing a token is O(log n) and needs no extra object per token.
 */
final class DueQueue {

    private static final int INITIAL_CAPACITY = 64;

    private TokenEntry[] heap = new TokenEntry[INITIAL_CAPACITY];
    private int size;

    /** Returns how many tokens wait. */
    int size() {
        return size;
    }

    /** Returns whether no token waits. */
    boolean isEmpty() {
        return size == 0;
    }

    /** Returns whether the token waits in this queue. */
    boolean contains(TokenEntry token) {
        return token.heapIndex >= 0 && token.heapIndex < size && heap[token.heapIndex] == token;
    }

    /** Returns the earliest due time; only when not empty. */
    long peekDue() {
        return heap[0].dueAt;
    }

    /** Removes and returns the earliest token; only when not empty. */
    TokenEntry poll() {
        final TokenEntry first = heap[0];
        removeAt(0);
        return first;
    }

    /** Puts the token in the queue at {@code dueAt}, or moves it there. */
    void schedule(TokenEntry token, long dueAt) {
        if (contains(token)) {
            final long previous = token.dueAt;
            token.dueAt = dueAt;
            if (dueAt < previous) siftUp(token.heapIndex);
            else siftDown(token.heapIndex);
            return;
        }
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        token.dueAt = dueAt;
        heap[size] = token;
        token.heapIndex = size;
        size++;
        siftUp(size - 1);
    }

    /** Takes the token out of the queue if it is in it. */
    void remove(TokenEntry token) {
        if (contains(token)) removeAt(token.heapIndex);
    }

    private void removeAt(int index) {
        final TokenEntry removed = heap[index];
        size--;
        removed.heapIndex = -1;
        if (index == size) {
            heap[size] = null;
            return;
        }
        final TokenEntry last = heap[size];
        heap[size] = null;
        heap[index] = last;
        last.heapIndex = index;
        siftDown(index);
        if (heap[index] == last) siftUp(index);
    }

    private void siftUp(int index) {
        final TokenEntry token = heap[index];
        while (index > 0) {
            final int parent = (index - 1) >>> 1;
            if (heap[parent].dueAt <= token.dueAt) break;
            heap[index] = heap[parent];
            heap[index].heapIndex = index;
            index = parent;
        }
        heap[index] = token;
        token.heapIndex = index;
    }

    private void siftDown(int index) {
        final TokenEntry token = heap[index];
        final int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            final int right = child + 1;
            if (right < size && heap[right].dueAt < heap[child].dueAt) child = right;
            if (token.dueAt <= heap[child].dueAt) break;
            heap[index] = heap[child];
            heap[index].heapIndex = index;
            index = child;
        }
        heap[index] = token;
        token.heapIndex = index;
    }
}
