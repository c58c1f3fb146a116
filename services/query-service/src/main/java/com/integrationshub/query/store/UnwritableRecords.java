package com.integrationshub.query.store;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Source records (topic, partition, offset) whose results Kafka refused to take (e.g. a record over its size
 * limit). Under exactly-once such a refusal aborts the transaction, so the stream thread is replaced and the record
 * is processed again; the command processor then rejects it instead of producing the same result, so the record
 * cannot stop the pipeline twice. Kept in memory: after a restart a such record costs one more aborted transaction.
 */
public final class UnwritableRecords {

    private static final int MAX_REMEMBERED = 10_000;
    private static final Set<String> SOURCES = new LinkedHashSet<>();
    /** The source record the stream thread processes now: a changelog write's failure names no source of its own. */
    private static final ThreadLocal<RecordMetadata> CURRENT = new ThreadLocal<>();

    private static boolean markedSinceTaken;
    // Read without the lock on every record: almost always nothing is remembered.
    private static volatile boolean anyRemembered;

    private UnwritableRecords() {}

    /** Notes the source record this thread processes, so a refusal raised while processing it can name it. */
    public static void processing(RecordMetadata source) {
        CURRENT.set(source);
    }

    /**
     * Remembers that the result of the record at topic-partition@offset could not be written; without a topic (a
     * store's changelog write), the record this thread is processing.
     */
    public static synchronized void mark(String topic, int partition, long offset) {
        RecordMetadata current = CURRENT.get();
        String source = topic != null
                ? id(topic, partition, offset)
                : current == null ? null : id(current.topic(), current.partition(), current.offset());
        if (source == null) return;
        SOURCES.add(source);
        anyRemembered = true;
        if (SOURCES.size() > MAX_REMEMBERED) {
            Iterator<String> oldest = SOURCES.iterator();
            oldest.next();
            oldest.remove();
        }
        markedSinceTaken = true;
    }

    /** Whether the result of this source record could not be written before. */
    public static boolean contains(RecordMetadata source) {
        if (!anyRemembered) return false;
        synchronized (UnwritableRecords.class) {
            return SOURCES.contains(id(source.topic(), source.partition(), source.offset()));
        }
    }

    /** Whether a record was marked since the last call: the thread failed for it and is worth replacing. */
    public static synchronized boolean takeMarked() {
        boolean marked = markedSinceTaken;
        markedSinceTaken = false;
        return marked;
    }

    private static String id(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }
}
