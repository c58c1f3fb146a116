package com.integrationshub.refresher;

import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.Names;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the refresher keeps of one token: kept small (ids, version, times, the sealed refresh token's bytes, where it
 * is in its refresh), since one instance may schedule hundreds of thousands. Confined to the scheduler thread.
 */
final class TokenEntry {

    /** Where a token is in its refresh. */
    enum Stage {
        /** Waiting for its due time (in the due queue) or for nothing (not refreshable). */
        IDLE,
        /** Due, waiting for a free slot of its provider. */
        QUEUED,
        /** A token call is in flight. */
        IN_FLIGHT,
        /** A call failed and may succeed later; waiting for the backoff (in the due queue). */
        RETRY_WAIT,
        /** The outcome command was sent; waiting for the event that decides it (in the due queue to resend). */
        AWAITING
    }

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
    Stage stage = Stage.IDLE;
    /** The version the current refresh started from. */
    long flightVersion;
    /** Pending refresh requests: null, a request id, or an ArrayDeque of them. */
    Object requests;
    /** The request the current refresh answers, or null. */
    String activeRequest;
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

    /** Whether a refresh is in progress (queued, in flight, backing off or awaiting its outcome). */
    boolean busy() {
        return stage != Stage.IDLE;
    }

    /** Adds a refresh request unless it is pending already. */
    @SuppressWarnings("unchecked")
    void addRequest(String requestId) {
        if (requestId.equals(activeRequest)) return;
        if (requests == null) {
            requests = requestId;
        } else if (requests instanceof String single) {
            if (single.equals(requestId)) return;
            final ArrayDeque<String> many = new ArrayDeque<>(2);
            many.add(single);
            many.add(requestId);
            requests = many;
        } else if (!((ArrayDeque<String>) requests).contains(requestId)) {
            ((ArrayDeque<String>) requests).add(requestId);
        }
    }

    /** Whether a refresh request waits. */
    boolean hasRequests() {
        return requests != null;
    }

    /** Takes the oldest pending request, or null. */
    @SuppressWarnings("unchecked")
    String pollRequest() {
        if (requests == null) return null;
        if (requests instanceof String single) {
            requests = null;
            return single;
        }
        final ArrayDeque<String> many = (ArrayDeque<String>) requests;
        final String first = many.poll();
        if (many.isEmpty()) requests = null;
        return first;
    }

    /** Puts a request back at the head (its refresh was abandoned). */
    @SuppressWarnings("unchecked")
    void returnRequest(String requestId) {
        if (requestId == null) return;
        if (requests == null) {
            requests = requestId;
            return;
        }
        final ArrayDeque<String> many;
        if (requests instanceof String single) {
            many = new ArrayDeque<>(2);
            many.add(single);
            requests = many;
        } else {
            many = (ArrayDeque<String>) requests;
        }
        many.addFirst(requestId);
    }

    /** Forgets a request an event answered. */
    @SuppressWarnings("unchecked")
    void answered(String requestId) {
        if (requestId == null || requests == null) return;
        if (requests instanceof String single) {
            if (single.equals(requestId)) requests = null;
            return;
        }
        final ArrayDeque<String> many = (ArrayDeque<String>) requests;
        many.remove(requestId);
        if (many.isEmpty()) requests = null;
    }
}
