package com.integrationshub.query.orgview;

import com.integrationshub.query.view.ViewChanges;
import java.time.Instant;
import java.util.List;

/**
 * A rendered org view and what it was read from: valid while none of the keys it was read from changed, the views
 * were not rebalanced or restored, and until `until` (its time to live, or the expiry of the token it shows).
 */
record OrgViewEntry(String body, long version, long epoch, String[] keys, long[] stamps, Instant until) {

    /**
     * The entry for a view read after `ticket` from `keys`, or null when a view changed since the ticket (what was
     * read may mix states before and after that change).
     */
    static OrgViewEntry of(
            OrgViewTicket ticket, ViewChanges changes, String body, long version, List<String> keys, Instant until) {
        String[] read = keys.toArray(String[]::new);
        long[] stamps = new long[read.length];
        for (int i = 0; i < read.length; i++) stamps[i] = changes.stamp(read[i]);
        // After the stamps: a change whose stamp was taken is seen here (see ViewChanges).
        if (changes.changes() != ticket.changes()) return null;
        return new OrgViewEntry(body, version, ticket.epoch(), read, stamps, until);
    }

    /** Whether a read from the stores would render this entry at `now`. */
    boolean validAt(ViewChanges changes, Instant now) {
        if (!now.isBefore(until) || changes.epoch() != epoch) return false;
        for (int i = 0; i < keys.length; i++) {
            if (changes.stamp(keys[i]) != stamps[i]) return false;
        }
        return true;
    }

    /** Roughly what the entry holds in memory, in bytes. */
    int weight() {
        int weight = 96 + body.length();
        for (String key : keys) weight += 56 + key.length();
        return weight;
    }
}
