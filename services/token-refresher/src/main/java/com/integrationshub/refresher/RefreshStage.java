package com.integrationshub.refresher;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a token is in its refresh, and the stages it may move to next (as {@code KafkaStreams.State} does): every
 * change goes through {@link TokenEntry#moveTo}, which refuses any other.
 *
 * <p>A refresh runs {@code IDLE → [QUEUED →] [RECORDING →] IN_FLIGHT → [RETRY_WAIT → IN_FLIGHT …] → AWAITING →
 * IDLE}: due, maybe queued behind its provider's limit, its attempt recorded (a refresh token is about to be
 * presented), called, maybe retried after a backoff, its outcome sent as a command and awaited until the event that
 * decides it. An attempt found without outcome (another owner's) goes from {@code IDLE} or {@code RECORDING} to
 * {@code AWAITING} with the failure that says so. A failure decided without a call (needs reauthorization, no refresh
 * token) goes from {@code IDLE} or {@code RETRY_WAIT} straight to {@code AWAITING}. Every stage may fall back to
 * {@code IDLE} (abandoned: a newer version, a released partition, a changed definition, a removed token); only
 * {@code IDLE} (nothing under way) and {@code AWAITING} (the command sent again, same id) may "move" to themselves.
 */
enum RefreshStage {
    /** Waiting for its due time (in the due queue) or for nothing (not refreshable). */
    IDLE,
    /** Due, waiting for a free slot of its provider. */
    QUEUED,
    /**
     * Holds a provider slot; its attempt ({@code RecordRefreshAttempt}) is sent and the call waits for the event
     * that records it (in the due queue to resend).
     */
    RECORDING,
    /** A token call is in flight. */
    IN_FLIGHT,
    /** A call failed and may succeed later; waiting for the backoff (in the due queue). */
    RETRY_WAIT,
    /** The outcome command was sent; waiting for the event that decides it (in the due queue to resend). */
    AWAITING;

    private Set<RefreshStage> next;

    static {
        // IDLE -> IDLE: dropping the refresh of a token that has none under way changes nothing.
        IDLE.next = EnumSet.of(IDLE, QUEUED, RECORDING, IN_FLIGHT, AWAITING);
        QUEUED.next = EnumSet.of(IDLE, RECORDING, IN_FLIGHT);
        // RECORDING -> RECORDING: the attempt is sent again, same id, when its event is late.
        RECORDING.next = EnumSet.of(IDLE, RECORDING, IN_FLIGHT, AWAITING);
        IN_FLIGHT.next = EnumSet.of(IDLE, RETRY_WAIT, AWAITING);
        RETRY_WAIT.next = EnumSet.of(IDLE, QUEUED, IN_FLIGHT, AWAITING);
        // AWAITING -> AWAITING: the command is sent again, same id, when the broker has not acknowledged it in time.
        AWAITING.next = EnumSet.of(IDLE, AWAITING);
    }

    /** Returns whether a token in this stage may move to {@code stage}. */
    boolean canMoveTo(RefreshStage stage) {
        return next.contains(stage);
    }

    /** Returns the stages a token in this stage may move to. */
    Set<RefreshStage> nextStages() {
        return Set.copyOf(next);
    }
}
