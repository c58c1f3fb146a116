package com.integrationshub.query.orgview;

import com.integrationshub.query.view.ViewChanges;
import java.time.Instant;
import java.util.List;

/**
 * A rendered org view and what it was read from: valid while none of the keys it was read from changed, the views
 * were not rebalanced or restored, and until `until` (its time to live, or the expiry of the token it shows).
 */
record OrgViewEntry(String body, long version, long epoch, int[] stripes, long[] stamps, Instant until) {

    /**
     * The entry for a view read after `ticket` from `keys`, or null when a view changed since the ticket (what was
     * read may mix states before and after that change).
     */
    static OrgViewEntry of(
            OrgViewTicket ticket, ViewChanges changes, String body, long version, List<String> keys, Instant until) {
        // Only the keys' stripes are kept: a few bytes each instead of the key strings.
        int[] stripes = new int[keys.size()];
        long[] stamps = new long[stripes.length];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = ViewChanges.stripe(keys.get(i));
            stamps[i] = changes.stampOf(stripes[i]);
        }
        // After the stamps: a change whose stamp was taken is seen here (see ViewChanges).
        if (changes.changes() != ticket.changes()) return null;
        return new OrgViewEntry(body, version, ticket.epoch(), stripes, stamps, until);
    }

    /** Whether a read from the stores would render this entry at `now`. */
    boolean validAt(ViewChanges changes, Instant now) {
        if (!now.isBefore(until) || changes.epoch() != epoch) return false;
        for (int i = 0; i < stripes.length; i++) {
            if (changes.stampOf(stripes[i]) != stamps[i]) return false;
        }
        return true;
    }

    /** Roughly what the entry holds in memory, in bytes. */
    int weight() {
        // Caffeine's node, the key and its two strings, this record, its arrays and deadline, the body's String and
        // bytes (one per character for Latin-1 JSON): about 320 B besides the body for names of ~10 characters.
        return 320 + body.length() + 12 * stripes.length;
    }
}
