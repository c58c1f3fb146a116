package com.integrationshub.domain.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.common.FieldError;
import com.integrationshub.common.RefreshTokenRotation;
import com.integrationshub.domain.token.RefreshTokenReuse.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefreshTokenReuseTest {

    private static final Instant ATTEMPT = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void shouldNeverPresentARefreshTokenAgainOnAStrictConnection() {
        assertEquals(
                Verdict.NEEDS_REAUTH,
                RefreshTokenReuse.afterUnknownOutcome(RefreshTokenRotation.STRICT, null, ATTEMPT, ATTEMPT));
        assertEquals(
                Verdict.NEEDS_REAUTH,
                RefreshTokenReuse.afterUnknownOutcome(
                        RefreshTokenRotation.STRICT, null, ATTEMPT, ATTEMPT.plusMillis(1)));
    }

    @Test
    void shouldTreatAConnectionThatSaysNothingAsStrict() {
        assertEquals(Verdict.NEEDS_REAUTH, RefreshTokenReuse.afterUnknownOutcome(null, null, ATTEMPT, ATTEMPT));
    }

    @Test
    void shouldPresentTheSameRefreshTokenAgainWhenItNeverRotates() {
        assertEquals(
                Verdict.PRESENT_AGAIN,
                RefreshTokenReuse.afterUnknownOutcome(
                        RefreshTokenRotation.NONE, null, ATTEMPT, ATTEMPT.plus(Duration.ofDays(3))));
    }

    @Test
    void shouldPresentTheOldRefreshTokenAgainOnlyWithinTheGraceSinceTheAttempt() {
        assertEquals(
                Verdict.PRESENT_AGAIN,
                RefreshTokenReuse.afterUnknownOutcome(
                        RefreshTokenRotation.GRACE, 30L, ATTEMPT, ATTEMPT.plusSeconds(29)));
        assertEquals(
                Verdict.NEEDS_REAUTH,
                RefreshTokenReuse.afterUnknownOutcome(
                        RefreshTokenRotation.GRACE, 30L, ATTEMPT, ATTEMPT.plusSeconds(30)));
    }

    @Test
    void shouldUseTheDefaultGraceWhenAGraceConnectionNamesNone() {
        assertEquals(
                Verdict.PRESENT_AGAIN,
                RefreshTokenReuse.afterUnknownOutcome(
                        RefreshTokenRotation.GRACE, null, ATTEMPT, ATTEMPT.plusSeconds(59)));
        assertEquals(
                Verdict.NEEDS_REAUTH,
                RefreshTokenReuse.afterUnknownOutcome(
                        RefreshTokenRotation.GRACE, null, ATTEMPT, ATTEMPT.plusSeconds(60)));
        assertEquals(60L, RefreshTokenReuse.grace(RefreshTokenRotation.GRACE, null));
    }

    @Test
    void shouldTakeOnlyFailuresAfterTheRequestMayHaveArrivedForUnknownOutcomes() {
        assertTrue(RefreshTokenReuse.outcomeUnknown("timeout"));
        assertTrue(RefreshTokenReuse.outcomeUnknown("connection_error"));
        assertTrue(RefreshTokenReuse.outcomeUnknown("answer_without_access_token"));
        // A connection never made, and an answered error, leave the refresh token unspent.
        assertFalse(RefreshTokenReuse.outcomeUnknown("connect_failed"));
        assertFalse(RefreshTokenReuse.outcomeUnknown("server_error"));
        assertFalse(RefreshTokenReuse.outcomeUnknown("http_503"));
    }

    @Test
    void shouldRefuseAGraceOutsideGraceRotationAndAGraceOutOfRange() {
        assertEquals(List.of(), RefreshTokenReuse.check(RefreshTokenRotation.GRACE, 60L));
        assertEquals(List.of(), RefreshTokenReuse.check(null, null));
        assertEquals(List.of("refresh_token_grace"), fields(RefreshTokenReuse.check(RefreshTokenRotation.GRACE, -5L)));
        assertEquals(List.of("refresh_token_grace"), fields(RefreshTokenReuse.check(RefreshTokenRotation.GRACE, 0L)));
        assertEquals(
                List.of("refresh_token_grace"), fields(RefreshTokenReuse.check(RefreshTokenRotation.GRACE, 86_401L)));
        assertEquals(List.of("refresh_token_grace"), fields(RefreshTokenReuse.check(RefreshTokenRotation.NONE, 60L)));
        assertEquals(List.of("refresh_token_grace"), fields(RefreshTokenReuse.check(null, 60L)));
    }

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::getField).toList();
    }
}
