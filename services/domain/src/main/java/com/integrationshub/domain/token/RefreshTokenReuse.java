package com.integrationshub.domain.token;

import com.integrationshub.common.FieldError;
import com.integrationshub.common.RefreshTokenRotation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether a refresh token whose last presentation has no known outcome may be presented again: the one rule, decided
 * by what the connection says about its provider ({@code refresh_token_rotation}). An outcome is unknown when an
 * attempt was recorded and no outcome after it (the owner stopped; a new owner finds it), or when the call failed
 * after the request may have reached the provider (a timeout, a broken connection, an answer that could not be read):
 * the provider may have exchanged the refresh token and its new pair is lost.
 *
 * <ul>
 *   <li>{@code STRICT} (and a connection that says nothing): refresh tokens are single-use and reuse may revoke the
 *       grant, so never again: the token needs reauthorization ({@link TokenDecider#OUTCOME_LOST}).
 *   <li>{@code GRACE}: the provider accepts the previous refresh token again for {@code refresh_token_grace} seconds
 *       after it rotated it; presented again only while that long has not passed since the attempt (the exchange came
 *       after the attempt, so measuring from the attempt is on the safe side).
 *   <li>{@code NONE}: the refresh token never rotates; presenting it again is harmless.
 * </ul>
 */
public final class RefreshTokenReuse {

    /** The grace a {@code GRACE} connection gets when it names none. */
    public static final long DEFAULT_GRACE_SECONDS = 60;

    /** The longest grace a connection may name (a day; providers name seconds to minutes). */
    public static final long MAX_GRACE_SECONDS = 86_400;

    /**
     * The token client's failure reasons after which the provider may have received and processed the request
     * ({@code com.integrationshub.oauth.client.TokenOutcome}): no answer in time, the connection broke after it was
     * made, or an answer that could not be used. A connection that could not be made, and any status answered
     * (5xx, 429...), are certain: the refresh token was not exchanged.
     */
    private static final Set<String> UNCERTAIN =
            Set.of("timeout", "connection_error", "answer_too_large", "answer_without_access_token");

    private RefreshTokenReuse() {}

    /** What to do with a refresh token whose last presentation has no known outcome. */
    public enum Verdict {
        /** Present the same refresh token again. */
        PRESENT_AGAIN,
        /** Never present it again: the token needs reauthorization, reason {@link TokenDecider#OUTCOME_LOST}. */
        NEEDS_REAUTH
    }

    /**
     * Decides whether the refresh token presented (or about to be presented) at {@code attemptedAt} may be presented
     * again at {@code at}.
     *
     * @param rotation     the connection's setting; null means {@code STRICT}
     * @param graceSeconds the connection's grace ({@code GRACE} only); null means {@link #DEFAULT_GRACE_SECONDS}
     * @param attemptedAt  when the attempt was recorded (the first one at the token's version)
     * @param at           when it would be presented again
     */
    public static Verdict afterUnknownOutcome(
            RefreshTokenRotation rotation, Long graceSeconds, Instant attemptedAt, Instant at) {
        return switch (rotation == null ? RefreshTokenRotation.STRICT : rotation) {
            case NONE -> Verdict.PRESENT_AGAIN;
            case GRACE -> {
                final Duration grace = Duration.ofSeconds(graceSeconds == null ? DEFAULT_GRACE_SECONDS : graceSeconds);
                yield at.isBefore(attemptedAt.plus(grace)) ? Verdict.PRESENT_AGAIN : Verdict.NEEDS_REAUTH;
            }
            case STRICT -> Verdict.NEEDS_REAUTH;
        };
    }

    /** Whether a failed call's reason leaves the outcome unknown (the provider may have exchanged the token). */
    public static boolean outcomeUnknown(String reason) {
        return UNCERTAIN.contains(reason);
    }

    /**
     * The grace a connection keeps for a rotation: the one it names, else (for {@code GRACE}) the default; null for
     * any other rotation.
     */
    public static Long grace(RefreshTokenRotation rotation, Long graceSeconds) {
        if (rotation != RefreshTokenRotation.GRACE) return graceSeconds;
        return graceSeconds == null ? DEFAULT_GRACE_SECONDS : graceSeconds;
    }

    /** The field errors of a connection's rotation and grace (the grace as it will be kept, see {@link #grace}). */
    public static List<FieldError> check(RefreshTokenRotation rotation, Long graceSeconds) {
        final List<FieldError> errors = new ArrayList<>();
        if (rotation != RefreshTokenRotation.GRACE) {
            if (graceSeconds != null) {
                errors.add(new FieldError(
                        "refresh_token_grace", "is only for refresh_token_rotation grace; leave it out or null"));
            }
        } else if (graceSeconds == null || graceSeconds < 1 || graceSeconds > MAX_GRACE_SECONDS) {
            errors.add(new FieldError(
                    "refresh_token_grace", "must be a whole number of seconds from 1 to " + MAX_GRACE_SECONDS));
        }
        return errors;
    }
}
