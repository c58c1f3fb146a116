package com.integrationshub.query.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ViewsCatchUpTest {

    @Test
    void shouldListOnlyThePartitionsReadShortOfTheirEndAtStartWithWhereTheyStand() {
        Map<Integer, Long> ends = Map.of(0, 100L, 1, 50L, 2, 0L, 3, 7L);
        Map<Integer, Long> read = new HashMap<>();
        read.put(0, 100L); // read to the end
        read.put(1, 20L); // behind
        read.put(2, null); // empty partition, nothing committed
        read.put(3, null); // nothing committed yet on a partition with events

        assertEquals(Map.of(1, 20L, 3, 0L), ViewsCatchUp.shortOfStart(ends, read));
    }

    @Test
    void shouldCountANegativeOrMissingCommittedOffsetAsNothingReadAndIgnorePartitionsNotActiveHere() {
        Map<Integer, Long> ends = Map.of(0, 5L, 1, 9L);

        assertEquals(Map.of(0, 0L), ViewsCatchUp.shortOfStart(ends, Map.of(0, -1L)));
        assertEquals(Map.of(), ViewsCatchUp.shortOfStart(ends, Map.of(1, 9L)));
        assertEquals(Map.of(), ViewsCatchUp.shortOfStart(ends, Map.of(1, 12L)));
    }
}
