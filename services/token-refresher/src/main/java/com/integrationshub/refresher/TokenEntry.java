package com.integrationshub.refresher;

import com.integrationshub.commands.RecordRefreshAttempt;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.Names;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the refresher keeps of one token: kept small (ids, version, times, the sealed refresh token's bytes, where it
 * is in its refresh), since one instance may schedule a million (bench/refresher-heap-bench.sh). The org id and the
 * sealed refresh token's ciphertext share one byte array; the connection's {@link TokenIndex} holds the entry itself.
 * Confined to the scheduler thread.
 */
final class TokenEntry {

    /** No expiry. */
    static final long NEVER = Long.MIN_VALUE;

    final ConnectionEntry connection;
    /**
     * The org id's UTF-8 bytes ({@link #orgLength} of them), then the sealed refresh token's ciphertext when {@link
     * #hasRefreshToken()}: one object where a String, its bytes and the ciphertext were three.
     */
    private byte[] packed;
    /** How many of {@link #packed}'s bytes are the org id; -1 for the global token (no org). */
    private final short orgLength;

    /** The token's yes/no facts, one bit each (see {@link #NEEDS_REAUTH} and the others). */
    private byte flags;
    /** Where the token is in its refresh (a {@link RefreshStage} ordinal); changed only by {@link #moveTo}. */
    private byte stage = (byte) RefreshStage.IDLE.ordinal();

    String integration;
    String entityId;
    long version;
    /** A digest of the id of the event that set {@link #version}: part of command ids. */
    long basis;

    long obtainedAt;
    long expiresAt = NEVER;
    private long refreshKeyId;
    /** Refresh requests no refresh has answered yet (the active one not among them). */
    PendingRequests requests = PendingRequests.NONE;
    /** The token's failed attempts and pending retry round, or null when it has none (most tokens). */
    private Setbacks setbacks;
    /** The refresh under way, or null (read through {@link #underway()}): most tokens wait idle most of the time. */
    private Underway underway;

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

    /** What a token keeps only while its refreshes fail or an attempt of its version is recorded. */
    private static final class Setbacks {
        /** Attempts since the last success, across rounds. */
        int attempts;
        /** When the next round of attempts starts after a failed round; 0 when none is pending. */
        long nextAttemptAt;
        /** When the first attempt at this version was recorded (epoch millis), while {@link #attemptRecorded()}. */
        long attemptedAt;
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
        if (setbacks.attempts == 0 && setbacks.nextAttemptAt == 0 && setbacks.attemptedAt == 0) setbacks = null;
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
        return underway == null ? NOT_UNDERWAY : underway;
    }

    /** The refresh under way, started if there is none: for writing. */
    Underway underwayForUpdate() {
        if (underway == null) underway = new Underway();
        return underway;
    }

    /** The refresh is over (the token idle again): forgets what it held. */
    void endUnderway() {
        underway = null;
    }

    /** A token of the connection for the org (null: the global token). */
    TokenEntry(ConnectionEntry connection, String orgId) {
        this.connection = connection;
        final byte[] key = TokenIndex.key(orgId);
        if (key != null && key.length > Short.MAX_VALUE) throw new IllegalArgumentException("org id too long");
        this.packed = key == null ? new byte[0] : key;
        this.orgLength = key == null ? -1 : (short) key.length;
    }

    /** The org id, or null for the global token. */
    String orgId() {
        return orgLength < 0 ? null : new String(packed, 0, orgLength, StandardCharsets.UTF_8);
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
        if (orgLength < 0) return 0;
        return orgHash(Arrays.copyOf(packed, orgLength));
    }

    /** A hash of org key bytes, spread so the index's low bits differ for ids that differ in their last chars. */
    static int orgHash(byte[] key) {
        if (key == null) return 0;
        final int h = Arrays.hashCode(key);
        return h ^ (h >>> 16) ^ (h >>> 8);
    }

    /** Whether the token has a refresh token. */
    boolean hasRefreshToken() {
        return flag(HAS_REFRESH_TOKEN);
    }

    /** Keeps the sealed refresh token's bytes, or forgets it for null. */
    void refreshToken(SealedSecret sealed) {
        final int org = Math.max(orgLength, 0);
        if (sealed == null) {
            flag(HAS_REFRESH_TOKEN, false);
            if (packed.length != org) packed = Arrays.copyOf(packed, org);
            return;
        }
        final ByteBuffer buffer = sealed.getCiphertext().duplicate();
        final byte[] bytes = Arrays.copyOf(packed, org + buffer.remaining());
        buffer.get(bytes, org, buffer.remaining());
        refreshKeyId = sealed.getKeyId();
        flag(HAS_REFRESH_TOKEN, true);
        packed = bytes;
    }

    /** The sealed refresh token (a copy of its bytes), or null when the token has none. */
    SealedSecret refreshToken() {
        return hasRefreshToken()
                ? new SealedSecret(
                        refreshKeyId,
                        ByteBuffer.wrap(Arrays.copyOfRange(packed, Math.max(orgLength, 0), packed.length)))
                : null;
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
