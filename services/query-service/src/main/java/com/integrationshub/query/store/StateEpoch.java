package com.integrationshub.query.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Which events a partition's views already hold because they were decided here. The command processor folds each
 * event it decides into the views in the transaction that appends it, and marks the event with the epoch of the
 * partition's state; the view builder skips the events that carry it and folds every other (an event decided against
 * other state: a log replayed into empty stores, or appended before this layout). The epoch is made once, kept in a store
 * of its own and restored with the views, so it lives exactly as long as the state it names.
 */
public final class StateEpoch {

    /** The header an event decided against this state carries. */
    public static final String HEADER = "hub-state-epoch";

    private static final String KEY = "epoch";

    private final KeyValueStore<String, String> store;
    private byte[] epoch;

    public StateEpoch(ProcessorContext<?, ?> context) {
        this.store = context.getStateStore(StoreNames.STATE_EPOCH);
    }

    /** A copy of `headers` with this state's epoch (made now if the state has none yet). */
    public Headers marked(Headers headers) {
        RecordHeaders marked = new RecordHeaders(headers.toArray());
        marked.remove(HEADER);
        marked.add(HEADER, made());
        return marked;
    }

    /** Whether an event with these headers was decided against this state, so the views already hold it. */
    public boolean folded(Headers headers) {
        Header header = headers.lastHeader(HEADER);
        if (header == null) return false;
        byte[] current = current();
        return current != null && Arrays.equals(current, header.value());
    }

    private byte[] made() {
        byte[] current = current();
        if (current != null) return current;
        String fresh = UUID.randomUUID().toString();
        store.put(KEY, fresh);
        epoch = fresh.getBytes(StandardCharsets.UTF_8);
        return epoch;
    }

    // Read until there is one (the task's other processor may make it meanwhile); once made it never changes while
    // the task that holds the store lives.
    private byte[] current() {
        if (epoch == null) {
            String stored = store.get(KEY);
            if (stored != null) epoch = stored.getBytes(StandardCharsets.UTF_8);
        }
        return epoch;
    }
}
