package com.integrationshub.refresher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.Names;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A connection's tokens by org, and the org id, entity id and refresh token a {@link TokenEntry} packs into one array.
 */
class TokenIndexTest {

    private final ConnectionEntry connection = new ConnectionEntry("halo", 0);
    private final TokenIndex index = new TokenIndex();

    @Test
    void shouldFindEachTokenByItsOrgAndTheGlobalTokenByNull() {
        final TokenEntry global = add(null);
        final TokenEntry one = add("org-1");
        final TokenEntry other = add("org-10");

        assertSame(global, index.get(null));
        assertSame(one, index.get("org-1"));
        assertSame(other, index.get("org-10"));
        assertNull(index.get("org-2"));
        assertNull(index.get("org-"), "a prefix of an org id is another org");
        assertEquals(3, index.size());
        assertNull(global.orgId());
        assertEquals("org-10", other.orgId());
    }

    @Test
    void shouldFindUuidAndOtherOrgIdsMixedAndKeepEachOrgIdExact() {
        final String uuid = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
        final List<String> orgs = List.of(
                uuid,
                uuid.toUpperCase(),
                "3F2504E0-4f89-41d3-9a0c-0305e82c3301", // mixed case: another org, kept as its UTF-8 bytes
                "{" + uuid.substring(1, 35) + "}",
                "org-1",
                "seventeen-chars-x", // as long as a packed UUID
                "00000000-0000-0000-0000-000000000000");
        final Map<String, TokenEntry> held = new HashMap<>();
        for (String org : orgs) held.put(org, add(org));
        final TokenEntry global = add(null);

        for (String org : orgs) {
            assertSame(held.get(org), index.get(org), org);
            assertEquals(org, index.get(org).orgId());
            assertEquals(Names.tokenId("halo", org), index.get(org).tokenId());
        }
        assertSame(global, index.get(null));
        assertNull(index.get("3f2504e0-4f89-41d3-9a0c-0305e82c3302"));
        assertNull(index.get("3F2504E0-4F89-41D3-9A0C-0305E82C3302"));
        assertThrows(IllegalStateException.class, () -> add(uuid));
        assertThrows(IllegalStateException.class, () -> add(uuid.toUpperCase()));

        assertTrue(index.remove(held.get(uuid)));
        assertNull(index.get(uuid));
        assertSame(held.get(uuid.toUpperCase()), index.get(uuid.toUpperCase()), "the uppercase form is another org");
        assertTrue(index.remove(held.get("org-1")));
        for (String org : orgs) {
            if (!org.equals(uuid) && !org.equals("org-1")) assertSame(held.get(org), index.get(org), org);
        }
        assertEquals(orgs.size() - 1, index.size());
    }

    @Test
    void shouldRefuseASecondTokenForTheSameOrg() {
        add("org-1");
        add(null);

        assertThrows(IllegalStateException.class, () -> add("org-1"));
        assertThrows(IllegalStateException.class, () -> add(null));
        assertEquals(2, index.size());
    }

    @Test
    void shouldRemoveOnlyTheTokenItHoldsForTheOrg() {
        final TokenEntry held = add("org-1");
        final TokenEntry stale = new TokenEntry(connection, "org-1");

        assertFalse(index.remove(stale), "a token of the same org no longer held is not the one held");
        assertSame(held, index.get("org-1"));
        assertTrue(index.remove(held));
        assertNull(index.get("org-1"));
        assertFalse(index.remove(held));
        assertEquals(0, index.size());
    }

    @Test
    void shouldMatchAMapUnderRandomAddsAndRemovals() {
        final SplittableRandom random = new SplittableRandom(14);
        final Map<String, TokenEntry> expected = new HashMap<>();
        for (int step = 0; step < 50_000; step++) {
            // Few distinct orgs, so runs of colliding slots form and removals shift them back.
            final String org = org(random.nextInt(50) == 0 ? -1 : random.nextInt(3_000));
            final TokenEntry held = index.get(org);
            assertSame(expected.get(org), held, org);
            if (held == null) {
                final TokenEntry t = new TokenEntry(connection, org);
                index.add(t);
                expected.put(org, t);
            } else if (random.nextBoolean()) {
                assertTrue(index.remove(held));
                expected.remove(org);
            }
        }
        final Set<TokenEntry> iterated = new HashSet<>();
        for (TokenEntry t : index) assertTrue(iterated.add(t), "each token once");
        assertEquals(new HashSet<>(expected.values()), iterated);
        assertEquals(expected.size(), index.size());
        for (Map.Entry<String, TokenEntry> e : expected.entrySet()) assertSame(e.getValue(), index.get(e.getKey()));
    }

    @Test
    void shouldKeepTheOrgIdWhenTheRefreshTokenIsReplacedOrForgotten() {
        final TokenEntry t = add("org-ü-1");
        assertFalse(t.hasRefreshToken());
        assertNull(t.refreshToken());

        t.refreshToken(sealed(7, 1, 2, 3));
        t.refreshToken(sealed(4_000_000_000L, 9, 8, 7, 6, 5));

        assertTrue(t.hasRefreshToken());
        assertEquals(4_000_000_000L, t.refreshToken().getKeyId());
        assertArrayEquals(new byte[] {9, 8, 7, 6, 5}, bytes(t.refreshToken()));
        assertEquals("org-ü-1", t.orgId());
        assertSame(t, index.get("org-ü-1"));

        bytes(t.refreshToken())[0] = 0;
        assertArrayEquals(new byte[] {9, 8, 7, 6, 5}, bytes(t.refreshToken()), "a copy: the token's bytes stay");

        t.refreshToken(null);
        assertFalse(t.hasRefreshToken());
        assertNull(t.refreshToken());
        assertEquals("org-ü-1", t.orgId());
        assertSame(t, index.get("org-ü-1"));
    }

    @Test
    void shouldKeepTheEntityIdRefreshTokenAndAnyKeyIdApartInTheArray() {
        final TokenEntry global = add(null);
        final TokenEntry t = add("org-1");
        final String longEntity = "e".repeat(300);

        for (TokenEntry token : List.of(global, t)) {
            assertNull(token.entityId());
            token.entityId(longEntity);
            token.refreshToken(sealed(1L << 40, 1, 2));
            assertEquals(longEntity, token.entityId());
            assertEquals(1L << 40, token.refreshToken().getKeyId(), "a key id wider than 32 bits");
            assertArrayEquals(new byte[] {1, 2}, bytes(token.refreshToken()));

            token.entityId("ent-7");
            token.refreshToken(sealed(-3, 4));
            assertEquals("ent-7", token.entityId());
            assertEquals(-3, token.refreshToken().getKeyId());
            assertArrayEquals(new byte[] {4}, bytes(token.refreshToken()));

            token.refreshToken(sealed(0xFFFF_FFFFL, 5, 6, 7));
            token.entityId(null);
            assertNull(token.entityId());
            assertEquals(0xFFFF_FFFFL, token.refreshToken().getKeyId());
            assertArrayEquals(new byte[] {5, 6, 7}, bytes(token.refreshToken()));

            token.refreshToken(sealed(9, new int[0]));
            assertTrue(token.hasRefreshToken(), "an empty ciphertext is still a refresh token");
            assertArrayEquals(new byte[0], bytes(token.refreshToken()));
        }
        assertSame(global, index.get(null));
        assertSame(t, index.get("org-1"));
        assertEquals("org-1", t.orgId());
    }

    @Test
    void shouldNotBeModifiedWhileIterated() {
        add("org-1");
        add("org-2");
        final List<TokenEntry> seen = new ArrayList<>();

        assertThrows(ConcurrentModificationException.class, () -> {
            for (TokenEntry t : index) {
                seen.add(t);
                index.add(new TokenEntry(connection, "org-3-" + seen.size()));
            }
        });
    }

    /** An org id of every kind by number (negative: the global token): short, UUID lower- and uppercase. */
    private static String org(int n) {
        if (n < 0) return null;
        final String uuid = new UUID(n % 1_000, n % 1_000 * 31L).toString();
        return switch (n / 1_000) {
            case 0 -> "org-" + n;
            case 1 -> uuid;
            default -> uuid.toUpperCase();
        };
    }

    @Test
    void shouldKeepAUuidEntityIdExactBesideTheOrgIdAndRefreshToken() {
        final String uuid = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
        final TokenEntry t = add(uuid);

        for (String entity : List.of(uuid, uuid.toUpperCase(), "3F2504E0-4f89-41d3-9a0c-0305e82c3301", "ent-7")) {
            t.entityId(entity);
            t.refreshToken(sealed(0xFFFF_FFFFL, 1, 2, 3));
            assertEquals(entity, t.entityId());
            assertEquals(uuid, t.orgId());
            assertEquals(0xFFFF_FFFFL, t.refreshToken().getKeyId());
            assertArrayEquals(new byte[] {1, 2, 3}, bytes(t.refreshToken()));
        }
        assertSame(t, index.get(uuid));
    }

    @Test
    void shouldKeepSetbacksAndTheRefreshUnderwayEachUntilItIsOver() {
        final TokenEntry t = add("org-1");
        assertEquals(0, t.underway().roundAttempts);

        t.attempts(3);
        t.underwayForUpdate().roundAttempts = 2;
        t.attempts(0);
        assertEquals(2, t.underway().roundAttempts, "the refresh under way outlives cleared setbacks");

        t.nextAttemptAt(99);
        t.endUnderway();
        assertEquals(0, t.underway().roundAttempts);
        assertEquals(99, t.nextAttemptAt(), "setbacks outlive the refresh");

        t.underwayForUpdate().flightVersion = 5;
        t.nextAttemptAt(0);
        t.endUnderway();
        assertEquals(0, t.underway().flightVersion);
        assertEquals(0, t.nextAttemptAt());
        assertEquals(0, t.attempts());
        t.underwayForUpdate().roundAttempts = 1;
        assertEquals(1, t.underway().roundAttempts, "a new refresh starts from nothing but itself");
        assertEquals(0, t.underway().flightVersion);
    }

    private TokenEntry add(String org) {
        final TokenEntry t = new TokenEntry(connection, org);
        index.add(t);
        return t;
    }

    private static SealedSecret sealed(long keyId, int... bytes) {
        final byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) b[i] = (byte) bytes[i];
        return new SealedSecret(keyId, ByteBuffer.wrap(b));
    }

    private static byte[] bytes(SealedSecret sealed) {
        final ByteBuffer buffer = sealed.getCiphertext().duplicate();
        final byte[] b = new byte[buffer.remaining()];
        buffer.get(b);
        return b;
    }
}
