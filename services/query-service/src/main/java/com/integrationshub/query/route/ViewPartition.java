package com.integrationshub.query.route;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition of the events topic, and so of every view, that holds a routing key (integration or connection
 * name): where the producers' and Streams' default partitioner puts a keyed record, murmur2 of the key's UTF-8 bytes.
 * Computed here rather than asked of Streams (`queryMetadataForKey` walks the cluster metadata and every store's
 * source topics: a few per cent of a write's CPU).
 */
public final class ViewPartition {

    private ViewPartition() {}

    /** The partition of `key` among `partitions`. */
    public static int of(String key, int partitions) {
        if (partitions <= 0) throw new IllegalArgumentException("partitions must be positive: " + partitions);
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
