package com.integrationshub.query.streams;

import java.util.Map;
import java.util.TreeMap;

/** How far the views are from the events there were when this instance started. Plain Java, no Kafka types. */
public final class ViewsCatchUp {

    private ViewsCatchUp() {}

    /**
     * The events partitions (active here, with the offset read so far: the committed offset, absent or negative when
     * none yet) short of where they ended at start, each with the offset its reading stands at; empty when complete.
     * A partition listed may still be complete: only transaction markers (or aborted records) may lie between, which
     * a reader skips without committing — {@link StreamsHealthIndicator} looks.
     */
    public static Map<Integer, Long> shortOfStart(Map<Integer, Long> endsAtStart, Map<Integer, Long> readByPartition) {
        Map<Integer, Long> behind = new TreeMap<>();
        readByPartition.forEach((partition, committed) -> {
            long end = endsAtStart.getOrDefault(partition, 0L);
            long read = committed == null || committed < 0 ? 0 : committed;
            if (read < end) behind.put(partition, read);
        });
        return behind;
    }
}
