package com.integrationshub.refresher;

import com.integrationshub.commands.RecordRefreshAttempt;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.Names;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the refresher keeps of one token: kept small (ids, version, times, the sealed refresh token's bytes, where it
 * is in its refresh), since one instance may schedule a million (bench/refresher-heap-bench.sh). The org id, the
 * entity id and the sealed refresh token share one byte array; the connection's {@link TokenIndex} holds the entry
 * itself. Confined to the scheduler thread.
 */
final class TokenEntry {

    /** No expiry. */
    static final long NEVER = Long.MIN_VALUE;

    final ConnectionEntry connection;
    /**
     * One array for what a token keeps of variable size, where Strings, their bytes and the ciphertext were several
     * objects: the org id's {@link IdBytes} ({@link #orgLength} of them; 17 for a UUID, not 36); the entity id, as its
     * byte length + 1 (0: none) in an unsigned varint and its {@link IdBytes}; and when {@link #hasRefreshToken()},
     * the sealed refresh token's ciphertext and last its key id, in 4 bytes, or 8 when it is not an unsigned 32-bit
     * one ({@link #WIDE_KEY_ID}; Tink ids are unsigned 32-bit). The key id is here rather than a field so the entry
     * stays within 80 bytes.
     */
    private byte[] packed;
    /** How many of {@link #packed}'s bytes are the org id; -1 for the global token (no org). */
    private final short orgLength;

    /** The token's yes/no facts, one bit each (see {@link #NEEDS_REAUTH} and the others). */
    private byte flags;
    /** Where the token is in its refresh (a {@link RefreshStage} ordinal); changed only by {@link #moveTo}. */
    private byte stage = (byte) RefreshStage.IDLE.ordinal();

    String integration;
    long version;
    /** A digest of the id of the event that set {@link #version}: part of command ids. */
    long basis;

    long obtainedAt;
    long expiresAt = NEVER;
    /** Refresh requests no refresh has answered yet (the active one not among them). */
    PendingRequests requests = PendingRequests.NONE;
    /**
     * The token's failed attempts and pending retry round, and the refresh under way, or null when it has none (most
     * tokens: they wait idle most of the time). One field for both: with the key id in {@link #packed}, the entry
     * takes 80 bytes, not 88.
     */
    private Setbacks setbacks;

    long dueAt;
    int heapIndex = -1;

    /**
     * What only a refresh under way needs, kept apart so an idle token does not carry it. Read through {@link
     * #underway()} (the shared empty one when there is none: never written), written through {@link
     * #underwayForUpdate()}; dropped by {@link #endUnderway()} when the refresh is over.
     */
    static final class Underway {
        /** The version the current refresh started from. */
        long flightVersion;
        /** Attempts of the current round. */
        int roundAttempts;
        /** The request the current refresh answers, or null. */
        String activeRequest;
        /** The attempt sent while {@link RefreshStage#RECORDING}, or null. */
        RecordRefreshAttempt attempt;
        /** The provider slot and URL held while {@link RefreshStage#RECORDING}. */
        ProviderLanes.Lane attemptLane;

        String attemptUrl;
        /** The fingerprint of the refresh token the call in flight presents (null: none). */
        String presented;
        /** The command sent and not yet decided, or null. */
        SpecificRecord pending;

        boolean pendingAcked;
        /** Removed with its partition while a call was in flight: the answer is recorded, nothing else. */
        boolean orphaned;
    }

    /**
     * What a token keeps only while its refreshes fail, an attempt of its version is recorded or a refresh is under
     * way.
     */
    private static final class Setbacks {
        /** Attempts since the last success, across rounds. */
        int attempts;
        /** When the next round of attempts starts after a failed round; 0 when none is pending. */
        long nextAttemptAt;
        /** When the first attempt at this version was recorded (epoch millis), while {@link #attemptRecorded()}. */
        long attemptedAt;
        /** The refresh under way, or null (read through {@link #underway()}). */
        Underway underway;
    }

    /** Attempts since the last success, across rounds. */
    int attempts() {
        return setbacks == null ? 0 : setbacks.attempts;
    }

    void attempts(int attempts) {
        if (attempts == 0 && setbacks == null) return;
        setbacks().attempts = attempts;
        dropSetbacksIfNone();
    }

    /** When the next round of attempts starts after a failed round; 0 when none is pending. */
    long nextAttemptAt() {
        return setbacks == null ? 0 : setbacks.nextAttemptAt;
    }

    void nextAttemptAt(long at) {
        if (at == 0 && setbacks == null) return;
        setbacks().nextAttemptAt = at;
        dropSetbacksIfNone();
    }

    /** When the first attempt at this version was recorded (epoch millis); meaningful while {@link #attemptRecorded()}. */
    long attemptedAt() {
        return setbacks == null ? 0 : setbacks.attemptedAt;
    }

    void attemptedAt(long at) {
        if (at == 0 && setbacks == null) return;
        setbacks().attemptedAt = at;
        dropSetbacksIfNone();
    }

    private Setbacks setbacks() {
        if (setbacks == null) setbacks = new Setbacks();
        return setbacks;
    }

    private void dropSetbacksIfNone() {
        if (setbacks.attempts == 0
                && setbacks.nextAttemptAt == 0
                && setbacks.attemptedAt == 0
                && setbacks.underway == null) {
            setbacks = null;
        }
    }

    private static final int HAS_REFRESH_TOKEN = 1;
    /** Refused by the provider or marked so by an event: nothing is scheduled until a person reconnects. */
    private static final int NEEDS_REAUTH = 1 << 1;
    /**
     * A refresh attempt ({@code TokenRefreshAttempted}) is recorded at this {@link #version} with no outcome after
     * it: its refresh token may have been presented to the provider.
     */
    private static final int ATTEMPT_RECORDED = 1 << 2;
    /**
     * A call at this version failed after its request may have reached the provider (a timeout, a broken
     * connection): the provider may have exchanged the refresh token, so presenting it again follows the connection's
     * rotation ({@link com.integrationshub.domain.token.RefreshTokenReuse}).
     */
    private static final int OUTCOME_UNKNOWN = 1 << 3;
    /** No longer held by the schedule (revoked, deleted, its partition forgotten). */
    private static final int REMOVED = 1 << 4;
    /** The refresh token's key id is not an unsigned 32-bit one: 8 bytes end {@link #packed}, not 4. */
    private static final int WIDE_KEY_ID = 1 << 5;

    private boolean flag(int bit) {
        return (flags & bit) != 0;
    }

    private void flag(int bit, boolean on) {
        flags = (byte) (on ? flags | bit : flags & ~bit);
    }

    /** See {@link #NEEDS_REAUTH}. */
    boolean needsReauth() {
        return flag(NEEDS_REAUTH);
    }

    void needsReauth(boolean on) {
        flag(NEEDS_REAUTH, on);
    }

    /** See {@link #ATTEMPT_RECORDED}. */
    boolean attemptRecorded() {
        return flag(ATTEMPT_RECORDED);
    }

    void attemptRecorded(boolean on) {
        flag(ATTEMPT_RECORDED, on);
    }

    /** See {@link #OUTCOME_UNKNOWN}. */
    boolean outcomeUnknown() {
        return flag(OUTCOME_UNKNOWN);
    }

    void outcomeUnknown(boolean on) {
        flag(OUTCOME_UNKNOWN, on);
    }

    /** See {@link #REMOVED}. */
    boolean removed() {
        return flag(REMOVED);
    }

    void removed(boolean on) {
        flag(REMOVED, on);
    }

    private static final Underway NOT_UNDERWAY = new Underway();
    private static final RefreshStage[] STAGES = RefreshStage.values();

    /** The refresh under way, or an empty one (all fields at their defaults) not to be written. */
    Underway underway() {
        return setbacks == null || setbacks.underway == null ? NOT_UNDERWAY : setbacks.underway;
    }

    /** The refresh under way, started if there is none: for writing. */
    Underway underwayForUpdate() {
        final Setbacks s = setbacks();
        if (s.underway == null) s.underway = new Underway();
        return s.underway;
    }

    /** The refresh is over (the token idle again): forgets what it held. */
    void endUnderway() {
        if (setbacks == null) return;
        setbacks.underway = null;
        dropSetbacksIfNone();
    }

    /** A token of the connection for the org (null: the global token). */
    TokenEntry(ConnectionEntry connection, String orgId) {
        this.connection = connection;
        final byte[] key = TokenIndex.key(orgId);
        if (key != null && key.length > Short.MAX_VALUE) throw new IllegalArgumentException("org id too long");
        this.orgLength = key == null ? -1 : (short) key.length;
        this.packed = pack(key, null, null, 0);
    }

    /** The org id, or null for the global token. */
    String orgId() {
        return orgLength < 0 ? null : IdBytes.decode(packed, 0, orgLength);
    }

    /** The token id of the contract: connection and org (or the global scope). */
    String tokenId() {
        return Names.tokenId(connection.name, orgId());
    }

    /** Whether the token is for the org of these key bytes ({@link TokenIndex#key}; null: the global token). */
    boolean isFor(byte[] key) {
        if (key == null) return orgLength < 0;
        return orgLength == key.length && Arrays.equals(packed, 0, orgLength, key, 0, key.length);
    }

    /** Whether both tokens are for the same org (or both global). */
    boolean sameOrgAs(TokenEntry other) {
        if (orgLength < 0 || other.orgLength < 0) return orgLength == other.orgLength;
        return Arrays.equals(packed, 0, orgLength, other.packed, 0, other.orgLength);
    }

    /** The {@link #orgHash(byte[])} of the token's org. */
    int orgHash() {
        return orgLength < 0 ? 0 : orgHash(packed, orgLength);
    }

    /** A hash of org key bytes (null: the global token), for the {@link TokenIndex}. */
    static int orgHash(byte[] key) {
        return key == null ? 0 : orgHash(key, key.length);
    }

    /** Spread so the index's low bits differ for ids that differ only in their last chars. */
    private static int orgHash(byte[] bytes, int length) {
        int h = 1;
        for (int i = 0; i < length; i++) h = 31 * h + bytes[i];
        return h ^ (h >>> 16) ^ (h >>> 8);
    }

    /** The entity id the token was issued for, or null. */
    String entityId() {
        final int at = Math.max(orgLength, 0);
        final int length = varint(packed, at) - 1;
        return length < 0 ? null : IdBytes.decode(packed, at + varintSize(length + 1), length);
    }

    void entityId(String entityId) {
        final byte[] entity = entityId == null ? null : IdBytes.encode(entityId);
        packed = pack(orgBytes(), entity, ciphertext(), keyId());
    }

    /** Whether the token has a refresh token. */
    boolean hasRefreshToken() {
        return flag(HAS_REFRESH_TOKEN);
    }

    /** Keeps the sealed refresh token's bytes, or forgets it for null. */
    void refreshToken(SealedSecret sealed) {
        final byte[] entity = entityBytes();
        if (sealed == null) {
            packed = pack(orgBytes(), entity, null, 0);
            return;
        }
        final ByteBuffer buffer = sealed.getCiphertext().duplicate();
        final byte[] ciphertext = new byte[buffer.remaining()];
        buffer.get(ciphertext);
        packed = pack(orgBytes(), entity, ciphertext, sealed.getKeyId());
    }

    /** The sealed refresh token (a copy of its bytes), or null when the token has none. */
    SealedSecret refreshToken() {
        return hasRefreshToken() ? new SealedSecret(keyId(), ByteBuffer.wrap(ciphertext())) : null;
    }

    /** Lays out {@link #packed} and sets the flags and key id that describe it. */
    private byte[] pack(byte[] org, byte[] entity, byte[] ciphertext, long keyId) {
        final int entityLength = entity == null ? 0 : entity.length + 1;
        final boolean wide = ciphertext != null && keyId != Integer.toUnsignedLong((int) keyId);
        final int size = (org == null ? 0 : org.length)
                + varintSize(entityLength)
                + (entity == null ? 0 : entity.length)
                + (ciphertext == null ? 0 : ciphertext.length + (wide ? Long.BYTES : Integer.BYTES));
        final ByteBuffer out = ByteBuffer.allocate(size);
        if (org != null) out.put(org);
        for (int v = entityLength; ; v >>>= 7) {
            if ((v & ~0x7F) == 0) {
                out.put((byte) v);
                break;
            }
            out.put((byte) ((v & 0x7F) | 0x80));
        }
        if (entity != null) out.put(entity);
        if (ciphertext != null) {
            out.put(ciphertext);
            if (wide) out.putLong(keyId);
            else out.putInt((int) keyId);
        }
        flag(HAS_REFRESH_TOKEN, ciphertext != null);
        flag(WIDE_KEY_ID, wide);
        return out.array();
    }

    private byte[] orgBytes() {
        return orgLength < 0 ? null : Arrays.copyOf(packed, orgLength);
    }

    private byte[] entityBytes() {
        final int at = Math.max(orgLength, 0);
        final int length = varint(packed, at) - 1;
        if (length < 0) return null;
        final int from = at + varintSize(length + 1);
        return Arrays.copyOfRange(packed, from, from + length);
    }

    private byte[] ciphertext() {
        if (!hasRefreshToken()) return null;
        final int at = Math.max(orgLength, 0);
        final int entityLength = varint(packed, at);
        final int from = at + varintSize(entityLength) + Math.max(entityLength - 1, 0);
        return Arrays.copyOfRange(packed, from, packed.length - keyIdSize());
    }

    private long keyId() {
        if (!hasRefreshToken()) return 0;
        final ByteBuffer end = ByteBuffer.wrap(packed, packed.length - keyIdSize(), keyIdSize());
        return flag(WIDE_KEY_ID) ? end.getLong() : Integer.toUnsignedLong(end.getInt());
    }

    /** How many bytes end {@link #packed} with the refresh token's key id (when it has one). */
    private int keyIdSize() {
        return flag(WIDE_KEY_ID) ? Long.BYTES : Integer.BYTES;
    }

    private static int varint(byte[] bytes, int at) {
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            final byte b = bytes[at++];
            value |= (b & 0x7F) << shift;
            if (b >= 0) return value;
        }
    }

    private static int varintSize(int value) {
        int size = 1;
        while ((value & ~0x7F) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    /** Returns where the token is in its refresh. */
    RefreshStage stage() {
        return STAGES[stage];
    }

    /**
     * Moves the token to the next stage of its refresh: the one place a stage changes.
     *
     * @throws IllegalStateException when the current stage may not move there (see {@link RefreshStage})
     */
    void moveTo(RefreshStage next) {
        if (!stage().canMoveTo(next)) {
            throw new IllegalStateException("token " + tokenId() + " cannot move from " + stage() + " to " + next);
        }
        stage = (byte) next.ordinal();
    }

    /** Adds a refresh request unless it is pending already (or is the one the current refresh answers). */
    void addRequest(String requestId) {
        if (requestId.equals(underway().activeRequest)) return;
        requests = requests.with(requestId);
    }

    /** Whether a refresh request waits. */
    boolean hasRequests() {
        return !requests.isEmpty();
    }

    /** Takes the oldest pending request, or null. */
    String pollRequest() {
        final String oldest = requests.oldest();
        requests = requests.withoutOldest();
        return oldest;
    }

    /** Puts a request back at the head (its refresh was abandoned). */
    void returnRequest(String requestId) {
        if (requestId == null) return;
        requests = requests.withFirst(requestId);
    }

    /** Forgets a request an event answered. */
    void answered(String requestId) {
        if (requestId == null) return;
        requests = requests.without(requestId);
    }
}
