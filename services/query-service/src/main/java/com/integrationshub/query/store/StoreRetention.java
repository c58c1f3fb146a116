package com.integrationshub.query.store;

import com.integrationshub.replies.CommandOutcome;
import com.integrationshub.state.AuthorizationState;
import java.time.Duration;
import java.time.Instant;

/**
 * How long the stores keep what only matters for a while: a processed command id (so a retry is answered with its
 * first outcome) for {@code idempotencyRetention} after its decision, an authorization until it expires. Every
 * {@code sweepInterval} of wall-clock time each task deletes what has passed.
 */
public record StoreRetention(Duration idempotencyRetention, Duration sweepInterval) {

    public StoreRetention {
        if (idempotencyRetention.isNegative() || idempotencyRetention.isZero()) {
            throw new IllegalArgumentException("hub.commands.idempotency-retention must be positive");
        }
        if (sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("hub.streams.sweep-interval must be positive");
        }
    }

    /** Whether a processed command's id may be forgotten now. */
    public boolean forgotten(CommandOutcome outcome, Instant now) {
        return outcome.getDecidedAt() != null
                && !outcome.getDecidedAt().plus(idempotencyRetention).isAfter(now);
    }

    /** Whether an authorization can no longer be used, so the state need not keep it. */
    public static boolean expired(AuthorizationState authorization, Instant now) {
        return !now.isBefore(authorization.getExpiresAt());
    }
}
