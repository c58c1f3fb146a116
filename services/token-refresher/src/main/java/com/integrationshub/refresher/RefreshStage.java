package com.integrationshub.refresher;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a token is in its refresh, and the stages it may move to next (as {@code KafkaStreams.State} does): every
 * change goes through {@link TokenEntry#moveTo}, which refuses any other.
 *
 * <pre>
 *   IDLE ──due──► QUEUED ──slot──► IN_FLIGHT ──answer──► AWAITING ──decided──► IDLE
 *     │  └─────────slot───────────►   │  │                  ▲  │ └──resent──┘
 *     │                               │  └──retryable──► RETRY_WAIT ──due──► (as IDLE)
 *     └──needs reauth, no call──────────────────────────────┘
 * </pre>
 * Any stage but {@code AWAITING} may also fall back to {@code IDLE} (a refresh abandoned: a newer version, a lost
 * partition, a changed definition); {@code AWAITING} leaves only when decided, resent, or the token is gone.
 */
enum RefreshStage {
    /** Waiting for its due time (in the due queue) or for nothing (not refreshable). */
    IDLE,
    /** Due, waiting for a free slot of its provider. */
    QUEUED,
    /** A token call is in flight. */
    IN_FLIGHT,
    /** A call failed and may succeed later; waiting for the backoff (in the due queue). */
    RETRY_WAIT,
    /** The outcome command was sent; waiting for the event that decides it (in the due queue to resend). */
    AWAITING;

    private Set<RefreshStage> next;

    static {
        // IDLE -> IDLE: dropping the refresh of a token that has none under way changes nothing.
        IDLE.next = EnumSet.of(IDLE, QUEUED, IN_FLIGHT, AWAITING);
        QUEUED.next = EnumSet.of(IDLE, IN_FLIGHT);
        IN_FLIGHT.next = EnumSet.of(IDLE, RETRY_WAIT, AWAITING);
        RETRY_WAIT.next = EnumSet.of(IDLE, QUEUED, IN_FLIGHT, AWAITING);
        // AWAITING -> AWAITING: the command is sent again, same id, when its outcome is late.
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
