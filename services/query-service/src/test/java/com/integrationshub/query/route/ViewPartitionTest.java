package com.integrationshub.query.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.internals.DefaultStreamPartitioner;
import org.junit.jupiter.api.Test;

/** The computed partition is the one Streams' own default partitioner (behind `queryMetadataForKey`) gives. */
class ViewPartitionTest {

    @Test
    void agreesWithStreamsDefaultPartitioner() {
        DefaultStreamPartitioner<String, Object> streams = new DefaultStreamPartitioner<>(new StringSerializer());
        Random random = new Random(7);
        for (int partitions : new int[] {1, 3, 6, 7, 12, 50}) {
            for (int n = 0; n < 2_000; n++) {
                String key = n % 3 == 0 ? "integration-" + n : randomKey(random);
                int expected = streams.partitions("hub.events", key, null, partitions)
                        .orElseThrow()
                        .iterator()
                        .next();
                assertEquals(expected, ViewPartition.of(key, partitions), key + " over " + partitions);
            }
        }
    }

    @Test
    void refusesACountThatIsNotPositive() {
        assertThrows(IllegalArgumentException.class, () -> ViewPartition.of("halo", 0));
    }

    /** Any code points but lone surrogates, multi-byte ones and a zero-length key included. */
    private static String randomKey(Random random) {
        StringBuilder key = new StringBuilder();
        int length = random.nextInt(40);
        for (int i = 0; i < length; i++) {
            int codePoint = random.nextInt(0x2FFFF) + 1;
            key.appendCodePoint(codePoint >= 0xD800 && codePoint <= 0xDFFF ? 'x' : codePoint);
        }
        return key.toString();
    }
}
