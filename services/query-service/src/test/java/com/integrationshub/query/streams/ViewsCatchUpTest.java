package com.integrationshub.query.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ViewsCatchUpTest {

    @Test
    void shouldNameEachPartitionShortOfItsEndAtStartWithHowFarBehind() {
        assertEquals(
                Map.of(0, 40L, 2, 7L),
                ViewsCatchUp.behind(Map.of(0, 100L, 1, 50L, 2, 7L), Map.of(0, 60L, 1, 50L, 2, -1L)));
    }

    @Test
    void shouldBeCompleteOnceEveryActivePartitionReachedItsEndOrHadNone() {
        Map<Integer, Long> read = new HashMap<>();
        read.put(0, 120L);
        read.put(1, null);
        assertEquals(Map.of(), ViewsCatchUp.behind(Map.of(0, 100L, 1, 0L, 2, 500L), read));
    }

    @Test
    void shouldCountAPartitionNothingWasCommittedForAsUnread() {
        Map<Integer, Long> read = new HashMap<>();
        read.put(1, null);
        assertEquals(Map.of(1, 9L), ViewsCatchUp.behind(Map.of(1, 9L), read));
    }
}
