package com.integrationshub.refresher;

import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.Names;
import java.nio.ByteBuffer;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the refresher keeps of one token: kept small (ids, version, times, the sealed refresh token's bytes, where it
 * is in its refresh), since one instance may schedule hundreds of thousands. Confined to the scheduler thread.
 */
final class TokenEntry {

    /** No expiry. */
    static final long NEVER = Long.MIN_VALUE;

    final ConnectionEntry connection;
    final String orgId;
    String integration;
    String entityId;
    long version;
    /** A digest of the id of the event that set {@link #version}: part of command ids. */
    long basis;

    long obtainedAt;
    long expiresAt = NEVER;
    long refreshKeyId;
    byte[] refreshCiphertext;
    boolean needsReauth;
    /** When the next round of attempts starts after a failed round; 0 when none is pending. */
    long nextAttemptAt;
    /** Attempts since the last success, across rounds. */
    int attempts;
    /** Attempts of the current round. */
    int roundAttempts;
    /** Where the token is in its refresh; changed only by {@link #moveTo}. */
    private RefreshStage stage = RefreshStage.IDLE;
    /** The version the current refresh started from. */
    long flightVersion;
    /** Refresh requests no refresh has answered yet (the active one not among them). */
    PendingRequests requests = PendingRequests.NONE;
    /** The request the current refresh answers, or null. */
    String activeRequest;
    /**
     * The version at which a refresh attempt ({@code TokenRefreshAttempted}) is recorded with no outcome after it, or
     * -1: a refresh token of that version may have been presented to the provider.
     */
    long attemptVersion = -1;
    /** When the first attempt at {@link #attemptVersion} was recorded (epoch millis). */
    long attemptedAt;
    /**
     * Whether a call at this version failed after its request may have reached the provider (a timeout, a broken
     * connection): the provider may have exchanged the refresh token, so presenting it again follows the connection's
     * rotation ({@link com.integrationshub.domain.token.RefreshTokenReuse}).
     */
    boolean outcomeUnknown;
    /** The attempt sent while {@link RefreshStage#RECORDING}, or null. */
    com.integrationshub.commands.RecordRefreshAttempt attempt;
    /** The provider slot and URL held while {@link RefreshStage#RECORDING}. */
    ProviderLanes.Lane attemptLane;

    String attemptUrl;
    /** The fingerprint of the refresh token the call in flight presents (null: none). */
    String presented;
    /** The command sent and not yet decided, or null. */
    SpecificRecord pending;

    boolean pendingAcked;
    boolean removed;
    /** Removed with its partition while a call was in flight: the answer is recorded, nothing else. */
    boolean orphaned;

    long dueAt;
    int heapIndex = -1;

    TokenEntry(ConnectionEntry connection, String orgId) {
        this.connection = connection;
        this.orgId = orgId;
    }

    /** The token id of the contract: connection and org (or the global scope). */
    String tokenId() {
        return Names.tokenId(connection.name, orgId);
    }

    /** Keeps the sealed refresh token's bytes, or forgets it for null. */
    void refreshToken(SealedSecret sealed) {
        if (sealed == null) {
            refreshCiphertext = null;
            return;
        }
        final ByteBuffer buffer = sealed.getCiphertext().duplicate();
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        refreshKeyId = sealed.getKeyId();
        refreshCiphertext = bytes;
    }

    /** The sealed refresh token, or null when the token has none. */
    SealedSecret refreshToken() {
        return refreshCiphertext == null ? null : new SealedSecret(refreshKeyId, ByteBuffer.wrap(refreshCiphertext));
    }

    /** Returns where the token is in its refresh. */
    RefreshStage stage() {
        return stage;
    }

    /**
     * Moves the token to the next stage of its refresh: the one place a stage changes.
     *
     * @throws IllegalStateException when the current stage may not move there (see {@link RefreshStage})
     */
    void moveTo(RefreshStage next) {
        if (!stage.canMoveTo(next)) {
            throw new IllegalStateException("token " + tokenId() + " cannot move from " + stage + " to " + next);
        }
        stage = next;
    }

    /** Adds a refresh request unless it is pending already (or is the one the current refresh answers). */
    void addRequest(String requestId) {
        if (requestId.equals(activeRequest)) return;
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
