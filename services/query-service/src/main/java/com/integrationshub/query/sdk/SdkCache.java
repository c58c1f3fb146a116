package com.integrationshub.query.sdk;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Zips by key, bounded by their total size; the least recently used go first. */
final class SdkCache<K> {

    private final long maxBytes;
    private final LinkedHashMap<K, byte[]> zips = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    SdkCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    synchronized Optional<byte[]> get(K key) {
        return Optional.ofNullable(zips.get(key));
    }

    /** Keeps {@code zip} unless it alone is over the bound, dropping the least recently used to make room. */
    synchronized void put(K key, byte[] zip) {
        if (zip.length > maxBytes) return;
        byte[] previous = zips.put(key, zip);
        bytes += zip.length - (previous == null ? 0 : previous.length);
        for (Iterator<Map.Entry<K, byte[]>> it = zips.entrySet().iterator(); bytes > maxBytes && it.hasNext(); ) {
            Map.Entry<K, byte[]> eldest = it.next();
            if (eldest.getKey().equals(key)) continue;
            bytes -= eldest.getValue().length;
            it.remove();
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return zips.size();
    }
}
