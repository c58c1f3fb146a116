package com.integrationshub.domain.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RefreshPolicyTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final RefreshPolicy.Settings SETTINGS = new RefreshPolicy.Settings(
            Duration.ofMinutes(5),
            Duration.ofSeconds(1),
            Duration.ofDays(1),
            Duration.ofMillis(200),
            Duration.ofSeconds(10),
            1.0,
            5,
            Duration.ofMinutes(2));

    private final RefreshPolicy policy = new RefreshPolicy(SETTINGS, drawing(0.5));

    // ------------------------------------------------------------------------------------------ when

    @Test
    void shouldRefreshTheDefaultMarginBeforeExpiryOfALongLivedToken() {
        Instant due = policy.refreshAt(T0, Optional.of(T0.plus(Duration.ofHours(1))), Optional.empty());

        assertEquals(T0.plus(Duration.ofMinutes(55)), due);
    }

    @Test
    void shouldUseTheConnectionMarginInsteadOfTheDefault() {
        Instant due =
                policy.refreshAt(T0, Optional.of(T0.plus(Duration.ofHours(1))), Optional.of(Duration.ofMinutes(20)));

        assertEquals(T0.plus(Duration.ofMinutes(40)), due);
    }

    @Test
    void shouldRefreshAShortLivedTokenAtHalfItsLifeNotTheWholeMarginEarly() {
        Instant due = policy.refreshAt(T0, Optional.of(T0.plusSeconds(10)), Optional.empty());

        assertEquals(T0.plusSeconds(5), due, "a 10 s token with a 5 min margin is refreshed after 5 s");
    }

    @Test
    void shouldNeverRefreshEarlierThanTheFloor() {
        RefreshPolicy strict = new RefreshPolicy(withFloor(Duration.ofSeconds(30)), drawing(0.5));

        assertEquals(
                T0.plusSeconds(30),
                strict.refreshAt(T0, Optional.of(T0.plusSeconds(10)), Optional.empty()),
                "a provider that refuses early refreshes gets none before the floor, even past expiry");
        assertEquals(
                T0.plus(Duration.ofMinutes(55)),
                strict.refreshAt(T0, Optional.of(T0.plus(Duration.ofHours(1))), Optional.empty()));
    }

    @Test
    void shouldRefreshATokenWithoutExpiryAfterTheIdlePeriod() {
        assertEquals(T0.plus(Duration.ofDays(1)), policy.refreshAt(T0, Optional.empty(), Optional.empty()));
    }

    @Test
    void shouldRefreshATokenExpiringFarAwayAfterTheIdlePeriod() {
        Instant due = policy.refreshAt(T0, Optional.of(T0.plus(Duration.ofDays(60))), Optional.empty());

        assertEquals(T0.plus(Duration.ofDays(1)), due);
    }

    @Test
    void shouldRefreshATokenThatExpiredBeforeItWasObtainedAtTheFloor() {
        Instant due = policy.refreshAt(T0, Optional.of(T0.minusSeconds(30)), Optional.empty());

        assertEquals(T0.plusSeconds(1), due);
    }

    @Test
    void shouldTreatANegativeMarginAsNone() {
        Instant due =
                policy.refreshAt(T0, Optional.of(T0.plus(Duration.ofHours(1))), Optional.of(Duration.ofSeconds(-5)));

        assertEquals(T0.plus(Duration.ofHours(1)), due);
    }

    // ------------------------------------------------------------------------------------------ backoff

    @Test
    void shouldDoubleTheBackoffCapPerFailedAttempt() {
        RefreshPolicy noJitter = new RefreshPolicy(withJitter(0), drawing(0.99));

        assertEquals(Optional.of(Duration.ofMillis(200)), noJitter.retryDelay(1));
        assertEquals(Optional.of(Duration.ofMillis(400)), noJitter.retryDelay(2));
        assertEquals(Optional.of(Duration.ofMillis(800)), noJitter.retryDelay(3));
        assertEquals(Optional.of(Duration.ofMillis(1600)), noJitter.retryDelay(4));
    }

    @Test
    void shouldBoundTheBackoffByTheMaximumDelay() {
        RefreshPolicy many = new RefreshPolicy(
                new RefreshPolicy.Settings(
                        Duration.ofMinutes(5),
                        Duration.ZERO,
                        Duration.ofDays(1),
                        Duration.ofMillis(200),
                        Duration.ofSeconds(1),
                        0,
                        100,
                        Duration.ofMinutes(2)),
                drawing(0));

        assertEquals(Optional.of(Duration.ofSeconds(1)), many.retryDelay(4));
        assertEquals(Optional.of(Duration.ofSeconds(1)), many.retryDelay(99), "no overflow for many attempts");
    }

    @Test
    void shouldDrawFullJitterBetweenZeroAndTheCap() {
        assertEquals(Optional.of(Duration.ofMillis(400)), new RefreshPolicy(SETTINGS, drawing(0)).retryDelay(2));
        assertEquals(Optional.of(Duration.ofMillis(200)), new RefreshPolicy(SETTINGS, drawing(0.5)).retryDelay(2));
        assertEquals(Optional.of(Duration.ofMillis(4)), new RefreshPolicy(SETTINGS, drawing(0.99)).retryDelay(2));
    }

    @Test
    void shouldKeepEqualJitterInTheUpperHalfOfTheCap() {
        RefreshPolicy equal = new RefreshPolicy(withJitter(0.5), new SplittableRandom(7));

        for (int i = 0; i < 1_000; i++) {
            long ms = equal.retryDelay(3).orElseThrow().toMillis();
            assertTrue(ms >= 400 && ms <= 800, "retry 3 waits within [400, 800] ms, got " + ms);
        }
    }

    @Test
    void shouldSpreadFullJitterAcrossTheWholeRange() {
        RefreshPolicy jittered = new RefreshPolicy(SETTINGS, new SplittableRandom(42));
        long below = 0;
        for (int i = 0; i < 1_000; i++) {
            long ms = jittered.retryDelay(1).orElseThrow().toMillis();
            assertTrue(ms >= 0 && ms <= 200, "retry 1 waits within [0, 200] ms, got " + ms);
            if (ms < 100) below++;
        }
        assertTrue(below > 400 && below < 600, "about half the waits are in the lower half, got " + below);
    }

    @Test
    void shouldEndTheRoundAfterMaxAttempts() {
        assertTrue(policy.retryDelay(4).isPresent());
        assertEquals(Optional.empty(), policy.retryDelay(5));
        assertEquals(Optional.empty(), policy.retryDelay(6));
    }

    @Test
    void shouldStartTheNextRoundAfterTheRoundPause() {
        assertEquals(T0.plus(Duration.ofMinutes(2)), policy.nextRoundAt(T0));
    }

    // ------------------------------------------------------------------------------------------ settings

    @Test
    void shouldRefuseSettingsThatMakeNoSense() {
        assertThrows(IllegalArgumentException.class, () -> withJitter(1.5));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RefreshPolicy.Settings(
                        Duration.ofMinutes(5),
                        Duration.ZERO,
                        Duration.ofDays(1),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(1),
                        1,
                        5,
                        Duration.ofMinutes(2)));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RefreshPolicy.Settings(
                        Duration.ofMinutes(5),
                        Duration.ZERO,
                        Duration.ofDays(1),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(10),
                        1,
                        0,
                        Duration.ofMinutes(2)));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RefreshPolicy.Settings(
                        Duration.ofMinutes(5),
                        Duration.ofSeconds(-1),
                        Duration.ofDays(1),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(10),
                        1,
                        5,
                        Duration.ofMinutes(2)));
        assertThrows(IllegalArgumentException.class, () -> policy.retryDelay(0));
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static RefreshPolicy.Settings withFloor(Duration floor) {
        return new RefreshPolicy.Settings(
                SETTINGS.defaultMargin(),
                floor,
                SETTINGS.idleRefreshPeriod(),
                SETTINGS.initialBackoff(),
                SETTINGS.maxBackoff(),
                SETTINGS.jitter(),
                SETTINGS.maxAttempts(),
                SETTINGS.roundPause());
    }

    private static RefreshPolicy.Settings withJitter(double jitter) {
        return new RefreshPolicy.Settings(
                SETTINGS.defaultMargin(),
                SETTINGS.floor(),
                SETTINGS.idleRefreshPeriod(),
                SETTINGS.initialBackoff(),
                SETTINGS.maxBackoff(),
                jitter,
                SETTINGS.maxAttempts(),
                SETTINGS.roundPause());
    }

    /** A generator whose nextDouble() is always {@code value}. */
    private static RandomGenerator drawing(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("the policy draws doubles");
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }
}
