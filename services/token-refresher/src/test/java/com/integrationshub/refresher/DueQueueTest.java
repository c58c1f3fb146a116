package com.integrationshub.refresher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DueQueueTest {

    private final ConnectionEntry connection = new ConnectionEntry("c", 0);
    private final DueQueue queue = new DueQueue();

    @Test
    void shouldPollTokensEarliestFirst() {
        TokenEntry late = token("late");
        TokenEntry early = token("early");
        TokenEntry middle = token("middle");
        queue.schedule(late, 300);
        queue.schedule(early, 100);
        queue.schedule(middle, 200);

        assertEquals(100, queue.peekDue());
        assertEquals(List.of(early, middle, late), List.of(queue.poll(), queue.poll(), queue.poll()));
        assertTrue(queue.isEmpty());
    }

    @Test
    void shouldMoveATokenWhenScheduledAgain() {
        TokenEntry a = token("a");
        TokenEntry b = token("b");
        queue.schedule(a, 100);
        queue.schedule(b, 200);

        queue.schedule(a, 300);

        assertEquals(2, queue.size(), "moved, not added twice");
        assertEquals(b, queue.poll());
        assertEquals(a, queue.poll());
    }

    @Test
    void shouldRemoveATokenFromAnywhere() {
        List<TokenEntry> tokens = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            TokenEntry t = token("t" + i);
            tokens.add(t);
            queue.schedule(t, i * 10L);
        }

        queue.remove(tokens.get(5));
        queue.remove(tokens.get(0));
        queue.remove(tokens.get(0));

        assertFalse(queue.contains(tokens.get(5)));
        assertEquals(8, queue.size());
        assertEquals(tokens.get(1), queue.poll());
    }

    @Test
    void shouldStayOrderedUnderRandomSchedulesMovesAndRemovals() {
        SplittableRandom random = new SplittableRandom(11);
        List<TokenEntry> tokens = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) tokens.add(token("t" + i));
        for (int step = 0; step < 20_000; step++) {
            TokenEntry t = tokens.get(random.nextInt(tokens.size()));
            if (random.nextInt(4) == 0) queue.remove(t);
            else queue.schedule(t, random.nextLong(1_000_000));
        }
        List<TokenEntry> expected = tokens.stream()
                .filter(queue::contains)
                .sorted(Comparator.comparingLong(t -> t.dueAt))
                .toList();

        List<Long> polled = new ArrayList<>();
        while (!queue.isEmpty()) polled.add(queue.poll().dueAt);

        assertEquals(expected.stream().map(t -> t.dueAt).toList(), polled);
    }

    @Test
    void shouldPollEveryTokenOfAnEqualDueTimeOnceBeforeLaterOnes() {
        final List<TokenEntry> together = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            final TokenEntry t = token("same-" + i);
            together.add(t);
            queue.schedule(t, 500);
        }
        final TokenEntry later = token("later");
        queue.schedule(later, 501);

        final List<TokenEntry> polled = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            assertEquals(500, queue.peekDue());
            polled.add(queue.poll());
        }

        assertEquals(new HashSet<>(together), new HashSet<>(polled));
        assertEquals(50, polled.stream().distinct().count(), "each once");
        assertEquals(later, queue.poll());
        assertTrue(queue.isEmpty());
    }

    private TokenEntry token(String org) {
        return new TokenEntry(connection, org);
    }
}
