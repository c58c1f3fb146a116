package com.integrationshub.refresher;

import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A connection's tokens by org (null: the global token): an open-addressing table of the entries themselves, keyed
 * by the org id bytes ({@link IdBytes}) each {@link TokenEntry} holds, so a token costs one array slot here instead of a map node and
 * a key string (one instance may hold a million tokens). Linear probing, at most three quarters full, backward-shift
 * removal.
 * Confined to the scheduler thread; not modified while iterated.
 */
final class TokenIndex implements Iterable<TokenEntry> {

    private static final int INITIAL_CAPACITY = 4;

    private TokenEntry[] table = new TokenEntry[INITIAL_CAPACITY];
    private int size;
    private int modifications;

    /** Returns how many tokens there are. */
    int size() {
        return size;
    }

    /** Returns the token of the org (null: the global token), or null. */
    TokenEntry get(String orgId) {
        final byte[] key = key(orgId);
        final int mask = table.length - 1;
        for (int i = TokenEntry.orgHash(key) & mask; ; i = (i + 1) & mask) {
            final TokenEntry t = table[i];
            if (t == null) return null;
            if (t.isFor(key)) return t;
        }
    }

    /** Adds the token; there must be none yet for its org. */
    void add(TokenEntry token) {
        if (4 * (size + 1) > 3 * table.length) grow();
        final int mask = table.length - 1;
        int i = token.orgHash() & mask;
        for (; table[i] != null; i = (i + 1) & mask) {
            if (table[i].sameOrgAs(token)) throw new IllegalStateException("token " + token.tokenId() + " is there");
        }
        table[i] = token;
        size++;
        modifications++;
    }

    /** Removes the token if it is the one held for its org; returns whether it was. */
    boolean remove(TokenEntry token) {
        final int mask = table.length - 1;
        int i = token.orgHash() & mask;
        while (table[i] != token) {
            if (table[i] == null) return false;
            i = (i + 1) & mask;
        }
        // Backward shift: moves up every later entry of the run that may sit in the freed slot, so lookups that
        // stop at the first empty slot still find them.
        int hole = i;
        for (int j = (i + 1) & mask; table[j] != null; j = (j + 1) & mask) {
            final int home = table[j].orgHash() & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                table[hole] = table[j];
                hole = j;
            }
        }
        table[hole] = null;
        size--;
        modifications++;
        return true;
    }

    @Override
    public Iterator<TokenEntry> iterator() {
        return new Iterator<>() {
            private final int expected = modifications;
            private int next = advance(0);

            private int advance(int from) {
                while (from < table.length && table[from] == null) from++;
                return from;
            }

            @Override
            public boolean hasNext() {
                return next < table.length;
            }

            @Override
            public TokenEntry next() {
                if (modifications != expected) throw new ConcurrentModificationException();
                if (next >= table.length) throw new NoSuchElementException();
                final TokenEntry t = table[next];
                next = advance(next + 1);
                return t;
            }
        };
    }

    private void grow() {
        final TokenEntry[] bigger = new TokenEntry[table.length * 2];
        for (TokenEntry t : table) if (t != null) place(bigger, t);
        table = bigger;
    }

    private static void place(TokenEntry[] into, TokenEntry token) {
        final int mask = into.length - 1;
        int i = token.orgHash() & mask;
        while (into[i] != null) i = (i + 1) & mask;
        into[i] = token;
    }

    /** The key of an org id as entries hold it: its {@link IdBytes}, or null for the global token. */
    static byte[] key(String orgId) {
        return orgId == null ? null : IdBytes.encode(orgId);
    }
}
