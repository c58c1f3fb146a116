package com.integrationshub.domain.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to refresh an OAuth token, and how long to wait after a failed attempt. Pure: the times come in as
 * arguments and the randomness of the jitter from the {@link RandomGenerator} it is built with.
 *
 * <p>A token obtained at {@code t0} that expires at {@code exp} is due at {@code exp - min(margin, lifetime / 2)},
 * with {@code lifetime = exp - t0}, so a short-lived token is refreshed at half its life rather than in a storm;
 * but never earlier than {@code t0 + floor} (for providers that refuse refreshing a token too soon), and never later
 * than {@code t0 + idleRefreshPeriod} (providers expire refresh tokens nobody uses). A token without expiry is due
 * after the idle period.
 *
 * <p>A failed attempt that may succeed later (5xx, timeout) is retried after an exponential backoff with jitter:
 * the cap of retry {@code n} is {@code min(maxBackoff, initialBackoff * 2^(n-1))} and the wait is drawn from
 * {@code [cap * (1 - jitter), cap]} in whole milliseconds; {@code jitter = 1} is "full jitter". A round has at
 * most {@code maxAttempts} attempts; the next round starts {@code roundPause} after a round that used them all.
 */
public final class RefreshPolicy {

    /**
     * The policy's settings.
     *
     * @param defaultMargin     how long before expiry to refresh when the connection sets no margin
     * @param floor             the youngest age at which a token may be refreshed
     * @param idleRefreshPeriod the longest time a token goes without a refresh
     * @param initialBackoff    the backoff cap of the first retry
     * @param maxBackoff        the largest backoff cap
     * @param jitter            the randomized fraction of each backoff, from 0 (none) to 1 (full jitter)
     * @param maxAttempts       attempts in one round, the first included
     * @param roundPause        the wait after a round that used all its attempts
     */
    public record Settings(
            Duration defaultMargin,
            Duration floor,
            Duration idleRefreshPeriod,
            Duration initialBackoff,
            Duration maxBackoff,
            double jitter,
            int maxAttempts,
            Duration roundPause) {

        public Settings {
            requireNotNegative(defaultMargin, "defaultMargin");
            requireNotNegative(floor, "floor");
            requirePositive(idleRefreshPeriod, "idleRefreshPeriod");
            requirePositive(initialBackoff, "initialBackoff");
            requirePositive(maxBackoff, "maxBackoff");
            requirePositive(roundPause, "roundPause");
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException(
                        "maxBackoff " + maxBackoff + " is below initialBackoff " + initialBackoff);
            }
            if (!(jitter >= 0 && jitter <= 1))
                throw new IllegalArgumentException("jitter must be within 0..1: " + jitter);
            if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }

        private static void requireNotNegative(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative()) throw new IllegalArgumentException(name + " must not be negative: " + value);
        }

        private static void requirePositive(Duration value, String name) {
            requireNotNegative(value, name);
            if (value.isZero()) throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private final Settings settings;
    private final RandomGenerator random;

    public RefreshPolicy(Settings settings, RandomGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Returns the settings. */
    public Settings settings() {
        return settings;
    }

    /**
     * Returns when a token should be refreshed.
     *
     * @param obtainedAt when the token was issued or last refreshed
     * @param expiresAt  when its access token expires, if it does
     * @param margin     the connection's margin, if it sets one
     */
    public Instant refreshAt(Instant obtainedAt, Optional<Instant> expiresAt, Optional<Duration> margin) {
        final Instant idleDue = obtainedAt.plus(settings.idleRefreshPeriod());
        Instant due = idleDue;
        if (expiresAt.isPresent()) {
            final Duration lifetime = nonNegative(Duration.between(obtainedAt, expiresAt.get()));
            final Duration wanted = nonNegative(margin.orElse(settings.defaultMargin()));
            final Duration half = lifetime.dividedBy(2);
            final Instant beforeExpiry = expiresAt.get().minus(wanted.compareTo(half) < 0 ? wanted : half);
            if (beforeExpiry.isBefore(due)) due = beforeExpiry;
        }
        final Instant earliest = obtainedAt.plus(settings.floor());
        return due.isBefore(earliest) ? earliest : due;
    }

    /**
     * Returns the wait before the next attempt of a round after {@code failedAttempts} failed ones, or empty when
     * the round has used all its attempts.
     */
    public Optional<Duration> retryDelay(int failedAttempts) {
        if (failedAttempts < 1)
            throw new IllegalArgumentException("failedAttempts must be at least 1: " + failedAttempts);
        if (failedAttempts >= settings.maxAttempts()) return Optional.empty();
        final long cap = backoffCapMillis(failedAttempts);
        final double drawn = cap * (1 - settings.jitter() * random.nextDouble());
        return Optional.of(Duration.ofMillis(Math.min(cap, (long) drawn)));
    }

    /** Returns when the next round of attempts starts after a round that failed at {@code now}. */
    public Instant nextRoundAt(Instant now) {
        return now.plus(settings.roundPause());
    }

    private long backoffCapMillis(int failedAttempts) {
        final long initial = settings.initialBackoff().toMillis();
        final long max = settings.maxBackoff().toMillis();
        final int doublings = failedAttempts - 1;
        if (doublings >= Long.numberOfLeadingZeros(initial) - 1) return max;
        return Math.min(max, initial << doublings);
    }

    private static Duration nonNegative(Duration value) {
        return value.isNegative() ? Duration.ZERO : value;
    }
}
