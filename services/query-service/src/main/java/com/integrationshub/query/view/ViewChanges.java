package com.integrationshub.query.view;

import com.integrationshub.query.store.StoreChanges;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts the changes of this instance's views, so that something derived from them (the org view cache) can tell
 * whether what it read is still what the stores hold: a count for every change, one per stripe of keys, and an epoch
 * that moves whenever the stores may have changed without a fold (a rebalance, a restoration).
 *
 * <p>A reader takes {@link #changes()} before reading, reads, then takes the {@link #stamp}s of the keys it read:
 * if {@link #changes()} has not moved meanwhile, what it read is valid for as long as those stamps and the epoch stay
 * the same. The fold counts a change after the store holds it, the total before its stripe: a stamp taken after a
 * stripe moved is therefore always seen with a moved total.
 */
@Singleton
public final class ViewChanges implements StoreChanges {

    private static final int STRIPES = 1 << 14;

    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);

    @Override
    public void changed(String key) {
        changes.incrementAndGet();
        stripes.incrementAndGet(stripe(key));
    }

    /** The stores may have changed in any way (a rebalance, a restoration): nothing read before is valid. */
    public void changedAll() {
        changes.incrementAndGet();
        epoch.incrementAndGet();
    }

    /** How many changes there have been. */
    public long changes() {
        return changes.get();
    }

    /** Moves with every {@link #changedAll()}. */
    public long epoch() {
        return epoch.get();
    }

    /** Moves with every change of `key` (and, rarely, of another key of the same stripe). */
    public long stamp(String key) {
        return stripes.get(stripe(key));
    }

    /** The stamp of a stripe ({@link #stripe}): what a reader that keeps only the stripe of a key compares. */
    public long stampOf(int stripe) {
        return stripes.get(stripe);
    }

    /** The stripe of keys `key` is counted in. */
    public static int stripe(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
