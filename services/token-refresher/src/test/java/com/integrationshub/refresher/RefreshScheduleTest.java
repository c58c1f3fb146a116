package com.integrationshub.refresher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.IssueToken;
import com.integrationshub.commands.RecordRefreshAttempt;
import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.commands.RecordTokenRefreshFailure;
import com.integrationshub.common.ClientAuthMethod;
import com.integrationshub.common.GrantType;
import com.integrationshub.common.RefreshTokenRotation;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.domain.token.RefreshPolicy;
import com.integrationshub.domain.token.TokenDecider;
import com.integrationshub.events.OAuthConnectionCreated;
import com.integrationshub.events.OAuthConnectionDeleted;
import com.integrationshub.events.TokenIssued;
import com.integrationshub.events.TokenRefreshAttempted;
import com.integrationshub.events.TokenRefreshFailed;
import com.integrationshub.events.TokenRefreshRequested;
import com.integrationshub.events.TokenRefreshed;
import com.integrationshub.events.TokenRevoked;
import com.integrationshub.refresher.support.TestKeys;
import com.integrationshub.testkit.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The schedule alone, on a clock the test moves: due times, stage changes, requests joining a refresh, and what a
 * provider's answer leads to. No Kafka, no HTTP: the calls and commands it asks for are only recorded.
 */
class RefreshScheduleTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(30);
    /** Margin 5 min, floor 1 s, idle 1 d; backoff 1 s doubling to 1 min, no jitter, 3 attempts, 5 min between rounds. */
    private static final RefreshPolicy.Settings POLICY = new RefreshPolicy.Settings(
            Duration.ofMinutes(5),
            Duration.ofSeconds(1),
            Duration.ofDays(1),
            Duration.ofSeconds(1),
            Duration.ofMinutes(1),
            0.0,
            3,
            Duration.ofMinutes(5));

    private static final String TOKEN_URL = "https://idp.example/token";

    private final MovableClock clock = new MovableClock(T0);
    private final Set<Integer> live = new HashSet<>(Set.of(0));
    private final Recorded effects = new Recorded();
    private final RefreshSchedule schedule = new RefreshSchedule(
            new RefreshPolicy(POLICY, new SplittableRandom(1)),
            new RefreshCommands(TestKeys.BOX),
            new ProviderLanes(1),
            OUTCOME_TIMEOUT,
            clock,
            live::contains,
            effects);

    // ------------------------------------------------------------------------------------------ due times

    @Test
    void shouldBeDueTheMarginBeforeExpiry() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));

        assertEquals(Optional.of(T0.plus(Duration.ofMinutes(55))), schedule.dueAt(token("halo", "org-1")));
        assertNull(schedule.pollDue(at(Duration.ofMinutes(55)) - 1), "not due a millisecond early");
        assertSame(token("halo", "org-1"), schedule.pollDue(at(Duration.ofMinutes(55))));
    }

    @Test
    void shouldCountTokensByStatusAndTheSoonestExpiryOfTokensNotRefused() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-soon", 1, T0.plus(Duration.ofMinutes(10)));
        issue("halo", "org-later", 1, T0.plus(Duration.ofHours(1)));
        issue("halo", "org-refused", 1, T0.plus(Duration.ofMinutes(1)));
        schedule.apply(0, failedEvent("halo", "org-refused", 2, true, null));
        clock.set(T0.plus(Duration.ofMinutes(20)));

        final RefreshSchedule.Figures figures = schedule.figures(clock.millis());

        assertEquals(1, figures.active(), "org-later");
        assertEquals(1, figures.expired(), "org-soon, past its expiry");
        assertEquals(1, figures.needsReauth(), "org-refused");
        assertEquals(
                T0.plus(Duration.ofMinutes(10)).toEpochMilli(),
                figures.soonestExpiresAt(),
                "the refused token's earlier expiry does not count");
        assertEquals(schedule.scheduled(), figures.scheduled());
        assertEquals(clock.millis(), figures.at());
    }

    @Test
    void shouldMoveATokenToTheDueTimeOfItsNewerEventAndHoldItOnce() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        clock.set(T0.plus(Duration.ofMinutes(30)));

        schedule.apply(0, refreshedEvent("halo", "org-1", 2, null));

        assertEquals(Optional.of(T0.plus(Duration.ofMinutes(30 + 55))), schedule.dueAt(token("halo", "org-1")));
        assertEquals(1, schedule.counts().tokens());
        assertEquals(1, schedule.scheduled());
        assertNull(schedule.pollDue(at(Duration.ofMinutes(55))), "not at the older event's due time");
    }

    @Test
    void shouldForgetRevokedTokensAndKeepEveryOtherTokenOfTheConnectionInDueOrder() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        for (int i = 0; i < 300; i++) issue("halo", "org-" + i, 1, T0.plus(Duration.ofMinutes(10 + i)));

        for (int i = 0; i < 300; i += 2) schedule.apply(0, revoked("halo", "org-" + i));

        assertEquals(150, schedule.counts().tokens());
        assertEquals(150, schedule.scheduled());
        for (int i = 0; i < 300; i++) {
            assertEquals(i % 2 == 1, token("halo", "org-" + i) != null, "org-" + i);
        }
        final List<String> polled = new ArrayList<>();
        for (TokenEntry t = schedule.pollDue(Long.MAX_VALUE); t != null; t = schedule.pollDue(Long.MAX_VALUE)) {
            polled.add(t.orgId());
        }
        final List<String> expected = new ArrayList<>();
        for (int i = 1; i < 300; i += 2) expected.add("org-" + i);
        assertEquals(expected, polled, "earliest expiry first");
    }

    @Test
    void shouldTakeATokenNeedingReauthorizationOutOfTheDueQueueAndKeepIt() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        issue("halo", "org-2", 1, T0.plus(Duration.ofHours(1)));

        schedule.apply(0, failedEvent("halo", "org-1", 2, true, null));

        assertEquals(Optional.empty(), schedule.dueAt(token("halo", "org-1")));
        assertEquals(1, schedule.scheduled());
        assertEquals(2, schedule.counts().tokens(), "still held: a reconnect reissues it");
        assertEquals(1, schedule.figures(clock.millis()).needsReauth());
    }

    @Test
    void shouldCallEveryTokenDueAtTheSameTimeOnce() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        for (int i = 0; i < 5; i++) issue("halo", "org-" + i, 1, T0.plus(Duration.ofHours(1)));
        clock.set(T0.plus(Duration.ofMinutes(55)));

        fireDue();

        // One call at a time to this provider (ProviderLanes(1)): the others queue behind it, none stays due.
        assertEquals(1, effects.flights.size());
        assertEquals(4, schedule.counts().queued());
        assertEquals(0, schedule.scheduled());
        final Set<String> called = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            final RefreshSchedule.Flight flight = effects.lastFlight();
            assertTrue(called.add(flight.token().orgId()), "each once");
            schedule.answered(flight, new ProviderAnswer.Retryable("server_error"));
        }
        assertEquals(Set.of("org-0", "org-1", "org-2", "org-3", "org-4"), called);
    }

    @Test
    void shouldScheduleNothingOfAPartitionBeingReplayedUntilItGoesLive() {
        live.clear();
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        assertEquals(0, schedule.scheduled());

        live.add(0);
        schedule.goLive(0);

        assertEquals(Optional.of(T0.plus(Duration.ofMinutes(55))), schedule.dueAt(token("halo", "org-1")));
    }

    @Test
    void shouldRefreshTheTokenThatExpiredFirstFirstWhenItsPartitionGoesLive() {
        live.clear();
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-late", 1, T0.plus(Duration.ofMinutes(30)));
        issue("halo", "org-early", 1, T0.plus(Duration.ofMinutes(10)));
        // Both expire while no instance owns the partition (a crash, a rebalance).
        clock.set(T0.plus(Duration.ofHours(1)));

        live.add(0);
        schedule.goLive(0);
        fireDue();

        assertSame(token("halo", "org-early"), effects.flights.get(0).token(), "the one due first is called first");
        assertEquals(RefreshStage.QUEUED, token("halo", "org-late").stage(), "the other waits for the provider's slot");
    }

    @Test
    void shouldNotScheduleATokenWithoutRefreshToken() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        schedule.apply(0, issued("halo", "org-1", 1, T0.plus(Duration.ofHours(1)), false));

        assertEquals(Optional.empty(), schedule.dueAt(token("halo", "org-1")));
    }

    @Test
    void shouldNeverScheduleAnOAuth1TokenThatDoesNotExpire() {
        connection("trello", GrantType.OAUTH1);
        final String tokenId = Names.tokenId("trello", "org-1");
        schedule.apply(
                0,
                TokenIssued.newBuilder(issued("trello", "org-1", 1, null, false))
                        .setTokenSecret(TestKeys.BOX.seal("token-secret", SecretPlaces.tokenSecret(tokenId)))
                        .setAuthScheme("OAUTH1")
                        .build());

        assertEquals(Optional.empty(), schedule.dueAt(token("trello", "org-1")));
        clock.advance(Duration.ofDays(400));
        fireDue();
        assertEquals(List.of(), effects.flights, "no provider call for a token that does not expire");
    }

    @Test
    void shouldFetchAClientCredentialsTokenAtOnceAndIssueIt() {
        connection("svc", GrantType.CLIENT_CREDENTIALS);
        final TokenEntry global = token("svc", null);
        assertEquals(Optional.of(T0), schedule.dueAt(global));

        fireDue();
        schedule.answered(effects.lastFlight(), granted());

        final IssueToken issue = assertInstanceOf(IssueToken.class, effects.lastSent());
        assertEquals(Names.tokenId("svc", null), issue.getTokenId());
        assertEquals(RefreshCommands.ISSUED_BY, issue.getIssuedBy());
        assertEquals(RefreshStage.AWAITING, global.stage());
    }

    // ------------------------------------------------------------------------------------------ one refresh

    @Test
    void shouldRecordTheTokensSealedOnArrivalAndSealAgainWhatWasSealedForAnotherToken() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        issue("halo", "org-2", 1, T0.plus(Duration.ofHours(1)));
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();
        final RefreshSchedule.Flight firstFlight = effects.lastFlight();
        final TokenEntry one = firstFlight.token();
        final ProviderAnswer.Granted sealed = granted().sealedFor(TestKeys.BOX, one.tokenId());

        schedule.answered(firstFlight, sealed);
        final RecordTokenRefresh first = assertInstanceOf(RecordTokenRefresh.class, effects.lastSent());
        assertEquals(sealed.sealed().accessToken(), first.getAccessToken());
        assertEquals(sealed.sealed().refreshToken(), first.getRefreshToken());

        fireDue();
        final RefreshSchedule.Flight secondFlight = effects.lastFlight();
        final TokenEntry two = secondFlight.token();
        assertNotSame(one, two);
        schedule.answered(secondFlight, sealed);
        final RecordTokenRefresh second = assertInstanceOf(RecordTokenRefresh.class, effects.lastSent());
        assertEquals(two.tokenId(), second.getTokenId());
        assertEquals(
                "new-refresh", TestKeys.BOX.open(second.getRefreshToken(), SecretPlaces.refreshToken(two.tokenId())));
    }

    @Test
    void shouldCallOnceWhenDueThenAwaitTheOutcomeOfTheRefreshCommand() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        final TokenEntry t = token("halo", "org-1");

        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();
        assertEquals(1, effects.flights.size());
        assertEquals(TOKEN_URL, effects.urls.get(0));
        assertEquals(RefreshStage.IN_FLIGHT, t.stage());
        assertEquals(Optional.empty(), schedule.dueAt(t), "nothing is due while the call is in flight");

        schedule.answered(effects.lastFlight(), granted());

        final RecordTokenRefresh refresh = assertInstanceOf(RecordTokenRefresh.class, effects.lastSent());
        assertEquals(1L, refresh.getExpectedVersion());
        assertEquals(1, refresh.getAttempts());
        assertEquals("new-access", TestKeys.BOX.open(refresh.getAccessToken(), SecretPlaces.accessToken(t.tokenId())));
        assertEquals(clock.instant().plusSeconds(3600), refresh.getExpiresAt());
        assertEquals(RefreshStage.AWAITING, t.stage());
        assertEquals(
                Optional.of(clock.instant().plus(OUTCOME_TIMEOUT)),
                schedule.dueAt(t),
                "due again only to resend the command");
    }

    @Test
    void shouldSettleOnTheDecidingEventAndScheduleFromTheNewToken() {
        final TokenEntry t = refreshedAndAwaiting();

        clock.advance(Duration.ofSeconds(2));
        schedule.apply(0, refreshedEvent("halo", "org-1", 2, null));

        assertEquals(RefreshStage.IDLE, t.stage());
        assertEquals(Optional.of(clock.instant().plus(Duration.ofMinutes(55))), schedule.dueAt(t));
        assertEquals(1, effects.flights.size(), "no second call");
    }

    @Test
    void shouldResendTheSameCommandWhenItsOutcomeIsLate() {
        final TokenEntry t = refreshedAndAwaiting();
        final SpecificRecord first = effects.lastSent();

        clock.advance(OUTCOME_TIMEOUT);
        fireDue();

        assertEquals(2, effects.sent.size());
        assertSame(first, effects.lastSent(), "the same command, so the same command id");
        assertEquals(RefreshStage.AWAITING, t.stage());
        assertEquals(1, effects.flights.size(), "no second provider call");
    }

    @Test
    void shouldNotResendACommandTheBrokerHasAcknowledged() {
        final TokenEntry t = refreshedAndAwaiting();
        schedule.acked(t, effects.lastSent());

        clock.advance(OUTCOME_TIMEOUT);
        fireDue();

        assertEquals(1, effects.sent.size(), "durable in the commands topic: decided from there, not resent");
        assertEquals(RefreshStage.AWAITING, t.stage());
        schedule.apply(0, refreshedEvent("halo", "org-1", 2, null));
        assertEquals(RefreshStage.IDLE, t.stage());
    }

    @Test
    void shouldReportAnAcknowledgedUndecidedCommandAsAwaited() {
        final TokenEntry t = refreshedAndAwaiting();
        assertEquals(Map.of(), schedule.awaiting(Set.of(0)), "not acknowledged yet");

        schedule.acked(t, effects.lastSent());

        assertEquals(Map.of(t.tokenId(), 1L), schedule.awaiting(Set.of(0)));
        assertEquals(Map.of(), schedule.awaiting(Set.of(1)));
    }

    // ------------------------------------------------------------------------------------------ failures

    @Test
    void shouldRetryAfterBackoffThenRecordAFailedRound() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        final TokenEntry t = token("halo", "org-1");
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();

        schedule.answered(effects.lastFlight(), new ProviderAnswer.Retryable("http_503"));
        assertEquals(RefreshStage.RETRY_WAIT, t.stage());
        assertEquals(Optional.of(clock.instant().plusSeconds(1)), schedule.dueAt(t), "first backoff: 1 s");

        clock.advance(Duration.ofSeconds(1));
        fireDue();
        schedule.answered(effects.lastFlight(), new ProviderAnswer.Retryable("http_503"));
        assertEquals(Optional.of(clock.instant().plusSeconds(2)), schedule.dueAt(t), "second backoff: 2 s");

        clock.advance(Duration.ofSeconds(2));
        fireDue();
        schedule.answered(effects.lastFlight(), new ProviderAnswer.Retryable("http_502"));

        assertEquals(3, effects.flights.size());
        final RecordTokenRefreshFailure failure = assertInstanceOf(RecordTokenRefreshFailure.class, effects.lastSent());
        assertEquals("http_502", failure.getReason());
        assertFalse(failure.getNeedsReauth());
        assertEquals(3, failure.getAttempts());
        assertEquals(1L, failure.getExpectedVersion());
        assertEquals(clock.instant().plus(Duration.ofMinutes(5)), failure.getNextAttemptAt());
        assertEquals(RefreshStage.AWAITING, t.stage());
    }

    @Test
    void shouldStartTheNextRoundWhenTheFailedRoundIsRecorded() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        final TokenEntry t = token("halo", "org-1");
        final Instant next = T0.plus(Duration.ofMinutes(60));

        schedule.apply(0, failedEvent("halo", "org-1", 2, false, next));

        assertEquals(RefreshStage.IDLE, t.stage());
        assertEquals(Optional.of(next), schedule.dueAt(t));
    }

    @Test
    void shouldRecordARefusalAsNeedingReauthorizationAndThenScheduleNothing() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        final TokenEntry t = token("halo", "org-1");
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();

        schedule.answered(effects.lastFlight(), new ProviderAnswer.Refused("invalid_grant"));

        final RecordTokenRefreshFailure failure = assertInstanceOf(RecordTokenRefreshFailure.class, effects.lastSent());
        assertEquals("invalid_grant", failure.getReason());
        assertTrue(failure.getNeedsReauth());
        assertNull(failure.getNextAttemptAt());

        schedule.apply(0, failedEvent("halo", "org-1", 2, true, null));
        assertEquals(RefreshStage.IDLE, t.stage());
        assertEquals(Optional.empty(), schedule.dueAt(t), "nothing until a person reconnects");
    }

    @Test
    void shouldGiveUpARetryWhenTheTokenIsReissued() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        final TokenEntry t = token("halo", "org-1");
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();
        schedule.answered(effects.lastFlight(), new ProviderAnswer.Retryable("http_503"));

        issue("halo", "org-1", 2, clock.instant().plus(Duration.ofHours(1)));

        assertEquals(RefreshStage.IDLE, t.stage());
        assertEquals(Optional.of(clock.instant().plus(Duration.ofMinutes(55))), schedule.dueAt(t));
    }

    @Test
    void shouldLeaveANewPairAnsweredForAnOlderVersionToTheDecider() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        final TokenEntry t = token("halo", "org-1");
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();
        final RefreshSchedule.Flight flight = effects.lastFlight();

        issue("halo", "org-1", 2, clock.instant().plus(Duration.ofHours(1)));
        schedule.answered(flight, granted());

        assertTrue(effects.sent.isEmpty(), "nothing waits for a refresh of version 1");
        final RecordTokenRefresh recorded = assertInstanceOf(
                RecordTokenRefresh.class,
                effects.recorded.get(0),
                "the provider may have spent the refresh token: its answer is recorded, the decider decides");
        assertEquals(1L, recorded.getExpectedVersion());
        assertEquals(
                effects.attempts.get(0).getRefreshTokenFingerprint(),
                recorded.getRefreshTokenFingerprint(),
                "names the refresh token it was made from (the decider refuses it, since version 2 has another)");
        assertEquals(RefreshStage.IDLE, t.stage());
        assertEquals(Optional.of(clock.instant().plus(Duration.ofMinutes(55))), schedule.dueAt(t));
    }

    @Test
    void shouldRecordALateAnswerAcrossAFailureOnceAndNotRefreshItsRequestAgain() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        final TokenEntry t = token("halo", "org-1");
        schedule.apply(0, requested("halo", "org-1", 1, "req-1"));
        fireDue();
        final RefreshSchedule.Flight flight = effects.lastFlight();

        // Another owner took the attempt for lost meanwhile; then the provider's answer comes.
        schedule.apply(0, failedEvent("halo", "org-1", 2, true, null));
        schedule.answered(flight, granted());
        fireDue();

        final RecordTokenRefresh recorded = assertInstanceOf(RecordTokenRefresh.class, effects.recorded.get(0));
        assertEquals(1L, recorded.getExpectedVersion(), "made from version 1: the decider applies it over the failure");
        assertEquals("req-1", recorded.getRequestId(), "the record answers the request");
        assertEquals(1, effects.recorded.size());
        assertEquals(
                List.of(),
                effects.sent,
                "no second command for the request (a needs_reauth failure at version 2 could be decided first)");
        assertEquals(1, effects.flights.size(), "one provider call");
        assertEquals(RefreshStage.IDLE, t.stage());
        assertEquals(Optional.empty(), schedule.dueAt(t), "needs reauthorization until the record is decided");

        schedule.apply(0, refreshedEvent("halo", "org-1", 3, "req-1"));
        assertEquals(Optional.of(clock.instant().plus(Duration.ofMinutes(55))), schedule.dueAt(t));
    }

    // ------------------------------------------------------------------------------------------ attempts

    @Test
    void shouldRecordTheAttemptBeforePresentingTheRefreshToken() {
        effects.holdAttempts = true;
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        final TokenEntry t = token("halo", "org-1");
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();

        final RecordRefreshAttempt attempt = effects.attempts.get(0);
        assertEquals(1L, attempt.getExpectedVersion());
        assertEquals(TokenDecider.fingerprint(t.refreshToken()), attempt.getRefreshTokenFingerprint());
        assertEquals(RefreshStage.RECORDING, t.stage());
        assertTrue(effects.flights.isEmpty(), "no call before the attempt is recorded");

        schedule.apply(0, attemptedEvent(attempt, attempt.getCommandId()));

        assertEquals(1, effects.flights.size());
        assertEquals(RefreshStage.IN_FLIGHT, t.stage());
    }

    @Test
    void shouldResendAnAttemptWhoseEventIsLateWithTheSameId() {
        effects.holdAttempts = true;
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();

        clock.advance(OUTCOME_TIMEOUT);
        fireDue();

        assertEquals(2, effects.attempts.size());
        assertSame(effects.attempts.get(0), effects.attempts.get(1));
        assertTrue(effects.flights.isEmpty());
    }

    @Test
    void shouldRetryWithinARoundWithoutRecordingAnotherAttempt() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();
        schedule.answered(effects.lastFlight(), new ProviderAnswer.Retryable("http_503"));

        clock.advance(Duration.ofSeconds(1));
        fireDue();

        assertEquals(2, effects.flights.size());
        assertEquals(1, effects.attempts.size(), "the same refresh token, already recorded as attempted");
    }

    @Test
    void shouldMarkAnAttemptWithoutRecordedOutcomeAsLostWhenThePartitionGoesLive() {
        live.clear();
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofMinutes(10)));
        final TokenEntry t = token("halo", "org-1");
        // The previous owner recorded an attempt and was killed before its outcome was recorded.
        schedule.apply(0, attemptedEvent(attemptOf(t), "another-owner"));
        clock.set(T0.plus(Duration.ofMinutes(20)));

        live.add(0);
        schedule.goLive(0);
        fireDue();

        final RecordTokenRefreshFailure lost = assertInstanceOf(RecordTokenRefreshFailure.class, effects.lastSent());
        assertEquals(TokenDecider.OUTCOME_LOST, lost.getReason());
        assertTrue(lost.getNeedsReauth(), "a strict provider: never present the refresh token again");
        assertEquals(1L, lost.getExpectedVersion());
        assertTrue(effects.flights.isEmpty(), "the old refresh token is not presented again");
        assertEquals(RefreshStage.AWAITING, t.stage());
    }

    @Test
    void shouldRefreshNormallyWhenTheAttemptsOutcomeIsRecorded() {
        live.clear();
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofMinutes(10)));
        final TokenEntry t = token("halo", "org-1");
        schedule.apply(0, attemptedEvent(attemptOf(t), "another-owner"));
        schedule.apply(0, refreshedEvent("halo", "org-1", 2, null));

        live.add(0);
        schedule.goLive(0);

        assertTrue(effects.sent.isEmpty());
        assertEquals(RefreshStage.IDLE, t.stage());
        assertEquals(Optional.of(clock.instant().plus(Duration.ofMinutes(55))), schedule.dueAt(t));
    }

    @Test
    void shouldGiveUpItsAttemptWhenAnotherOwnersAttemptIsRecordedFirst() {
        effects.holdAttempts = true;
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        issue("halo", "org-2", 1, T0.plus(Duration.ofHours(2)));
        final TokenEntry t = token("halo", "org-1");
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();
        assertEquals(RefreshStage.RECORDING, t.stage());

        // An owner that still runs (a long pause) presented the same refresh token: its outcome is not known.
        schedule.apply(0, attemptedEvent(attemptOf(t), "another-owner"));

        final RecordTokenRefreshFailure lost = assertInstanceOf(RecordTokenRefreshFailure.class, effects.lastSent());
        assertEquals(TokenDecider.OUTCOME_LOST, lost.getReason());
        assertEquals(RefreshStage.AWAITING, t.stage());
        assertTrue(effects.flights.isEmpty());
        clock.set(T0.plus(Duration.ofMinutes(115)));
        fireDue();
        assertEquals(RefreshStage.RECORDING, token("halo", "org-2").stage(), "the provider's slot was given back");
    }

    @Test
    void shouldWithdrawAnAttemptNotCalledWhenThePartitionIsReleased() {
        effects.holdAttempts = true;
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        final TokenEntry t = token("halo", "org-1");
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();

        live.clear();
        schedule.stopScheduling(Set.of(0));

        final RecordTokenRefreshFailure withdrawn =
                assertInstanceOf(RecordTokenRefreshFailure.class, effects.lastSent());
        assertFalse(withdrawn.getNeedsReauth(), "not lost: the next owner refreshes at once");
        assertEquals(clock.instant(), withdrawn.getNextAttemptAt());
        assertEquals(RefreshStage.AWAITING, t.stage());
        assertTrue(effects.flights.isEmpty());
    }

    // ------------------------------------------------------------------------------------------ unknown outcomes

    @Test
    void shouldPresentTheSameRefreshTokenAgainAfterALostOutcomeWhenItNeverRotates() {
        live.clear();
        connection("halo", GrantType.AUTHORIZATION_CODE, RefreshTokenRotation.NONE, null);
        issue("halo", "org-1", 1, T0.plus(Duration.ofMinutes(10)));
        final TokenEntry t = token("halo", "org-1");
        schedule.apply(0, attemptedEvent(attemptOf(t), "another-owner"));
        clock.set(T0.plus(Duration.ofMinutes(20)));

        live.add(0);
        schedule.goLive(0);
        fireDue();

        assertEquals(1, effects.flights.size(), "refreshed at once");
        assertEquals(RefreshStage.IN_FLIGHT, t.stage());
        assertEquals(TokenDecider.fingerprint(t.refreshToken()), t.underway().presented, "with the same refresh token");
        assertTrue(effects.attempts.isEmpty(), "the attempt already recorded covers it");
        assertTrue(effects.sent.isEmpty(), "no failure recorded");
    }

    @Test
    void shouldPresentTheOldRefreshTokenAgainWithinTheGraceSinceTheLostAttempt() {
        live.clear();
        connection("halo", GrantType.AUTHORIZATION_CODE, RefreshTokenRotation.GRACE, 60L);
        issue("halo", "org-1", 1, T0.plus(Duration.ofMinutes(10)));
        final TokenEntry t = token("halo", "org-1");
        schedule.apply(0, attemptedEvent(attemptOf(t), "another-owner"));
        clock.advance(Duration.ofSeconds(59));

        live.add(0);
        schedule.goLive(0);
        fireDue();

        assertEquals(1, effects.flights.size());
        assertTrue(effects.sent.isEmpty());
    }

    @Test
    void shouldMarkALostOutcomeAsNeedingReauthorizationOnceTheGraceHasPassed() {
        live.clear();
        connection("halo", GrantType.AUTHORIZATION_CODE, RefreshTokenRotation.GRACE, 60L);
        issue("halo", "org-1", 1, T0.plus(Duration.ofMinutes(10)));
        final TokenEntry t = token("halo", "org-1");
        schedule.apply(0, attemptedEvent(attemptOf(t), "another-owner"));
        clock.advance(Duration.ofSeconds(60));

        live.add(0);
        schedule.goLive(0);
        fireDue();

        final RecordTokenRefreshFailure lost = assertInstanceOf(RecordTokenRefreshFailure.class, effects.lastSent());
        assertEquals(TokenDecider.OUTCOME_LOST, lost.getReason());
        assertTrue(lost.getNeedsReauth());
        assertTrue(effects.flights.isEmpty());
    }

    @Test
    void shouldNeverPresentARefreshTokenAgainAfterATimeoutOnAStrictConnection() {
        connection("halo", GrantType.AUTHORIZATION_CODE, RefreshTokenRotation.STRICT, null);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        final TokenEntry t = token("halo", "org-1");
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();

        schedule.answered(effects.lastFlight(), new ProviderAnswer.Retryable("timeout"));
        clock.advance(Duration.ofMinutes(10));
        fireDue();

        final RecordTokenRefreshFailure lost = assertInstanceOf(RecordTokenRefreshFailure.class, effects.lastSent());
        assertEquals(TokenDecider.OUTCOME_LOST, lost.getReason());
        assertTrue(lost.getNeedsReauth());
        assertEquals(1L, lost.getExpectedVersion());
        assertEquals(1, effects.flights.size(), "one presentation only");
        assertEquals(RefreshStage.AWAITING, t.stage());
    }

    @Test
    void shouldRetryAConnectionThatCouldNotBeMadeOnAStrictConnection() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        final TokenEntry t = token("halo", "org-1");
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();

        schedule.answered(effects.lastFlight(), new ProviderAnswer.Retryable("connect_failed"));

        assertEquals(RefreshStage.RETRY_WAIT, t.stage(), "nothing reached the provider: nothing was spent");
        assertTrue(effects.sent.isEmpty());
    }

    @Test
    void shouldRetryATimedOutCallWithTheSameRefreshTokenWhenItNeverRotates() {
        connection("halo", GrantType.AUTHORIZATION_CODE, RefreshTokenRotation.NONE, null);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        final TokenEntry t = token("halo", "org-1");
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();

        schedule.answered(effects.lastFlight(), new ProviderAnswer.Retryable("timeout"));
        assertEquals(RefreshStage.RETRY_WAIT, t.stage());
        clock.advance(Duration.ofSeconds(1));
        fireDue();
        schedule.answered(effects.lastFlight(), granted());

        assertEquals(2, effects.flights.size());
        assertInstanceOf(RecordTokenRefresh.class, effects.lastSent());
    }

    @Test
    void shouldStopRetryingATimedOutCallWhenTheRetryWouldComeAfterTheGrace() {
        connection("halo", GrantType.AUTHORIZATION_CODE, RefreshTokenRotation.GRACE, 2L);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();

        schedule.answered(effects.lastFlight(), new ProviderAnswer.Retryable("timeout"));
        clock.advance(Duration.ofSeconds(1));
        fireDue();
        assertEquals(2, effects.flights.size(), "the first retry (1 s after) is within the 2 s grace");
        // A 503 now: the next retry (2 s later) would be 3 s after the attempt, whose outcome is still unknown.
        schedule.answered(effects.lastFlight(), new ProviderAnswer.Retryable("http_503"));

        final RecordTokenRefreshFailure lost = assertInstanceOf(RecordTokenRefreshFailure.class, effects.lastSent());
        assertEquals(TokenDecider.OUTCOME_LOST, lost.getReason());
        assertTrue(lost.getNeedsReauth());
    }

    // ------------------------------------------------------------------------------------------ concurrent changes

    @Test
    void shouldRecordNothingWhenTheConnectionIsDeletedDuringTheCallAndFreeTheProvidersSlot() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        connection("other", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        issue("other", "org-1", 1, T0.plus(Duration.ofHours(2)));
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();
        final RefreshSchedule.Flight flight = effects.lastFlight();

        schedule.apply(0, deleted("halo"));
        schedule.answered(flight, granted());

        assertNull(token("halo", "org-1"));
        assertTrue(effects.sent.isEmpty(), "nothing to record for a deleted connection");
        assertTrue(effects.recorded.isEmpty());
        clock.set(T0.plus(Duration.ofMinutes(115)));
        fireDue();
        assertEquals(2, effects.flights.size(), "the slot is free for the next token");
    }

    @Test
    void shouldGiveUpAnAttemptWhenTheConnectionIsDeletedBeforeItIsRecorded() {
        effects.holdAttempts = true;
        connection("halo", GrantType.AUTHORIZATION_CODE);
        connection("other", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        issue("other", "org-1", 1, T0.plus(Duration.ofHours(2)));
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();
        final RecordRefreshAttempt attempt = effects.attempts.get(0);

        schedule.apply(0, deleted("halo"));
        schedule.apply(0, attemptedEvent(attempt, attempt.getCommandId()));

        assertTrue(effects.flights.isEmpty(), "no call for a deleted connection");
        clock.set(T0.plus(Duration.ofMinutes(115)));
        fireDue();
        assertEquals(2, effects.attempts.size(), "the slot is free for the next token");
    }

    @Test
    void shouldGiveUpAnAttemptWhenTheOrgReconnectsBeforeItIsRecorded() {
        effects.holdAttempts = true;
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        final TokenEntry t = token("halo", "org-1");
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();

        issue("halo", "org-1", 2, clock.instant().plus(Duration.ofHours(1)));

        assertEquals(RefreshStage.IDLE, t.stage());
        assertEquals(
                Optional.of(clock.instant().plus(Duration.ofMinutes(55))),
                schedule.dueAt(t),
                "scheduled from the new grant");
        assertTrue(effects.flights.isEmpty());
    }

    // ------------------------------------------------------------------------------------------ requests

    @Test
    void shouldRefreshAtOnceOnARequestAndAnswerItInTheCommand() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        final TokenEntry t = token("halo", "org-1");

        schedule.apply(0, requested("halo", "org-1", 1, "r1"));
        assertEquals(Optional.of(T0), schedule.dueAt(t));
        fireDue();
        schedule.answered(effects.lastFlight(), granted());

        assertEquals(
                "r1",
                assertInstanceOf(RecordTokenRefresh.class, effects.lastSent()).getRequestId());
    }

    @Test
    void shouldJoinRequestsMadeDuringARefreshIntoItsOneCall() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        final TokenEntry t = token("halo", "org-1");
        schedule.apply(0, requested("halo", "org-1", 1, "r1"));
        fireDue();

        schedule.apply(0, requested("halo", "org-1", 1, "r2"));
        schedule.apply(0, requested("halo", "org-1", 1, "r3"));
        assertEquals(Optional.empty(), schedule.dueAt(t), "joined the call in flight");
        schedule.answered(effects.lastFlight(), granted());
        schedule.apply(0, requested("halo", "org-1", 1, "r4"));
        schedule.apply(0, refreshedEvent("halo", "org-1", 2, "r1"));

        assertEquals(1, effects.flights.size(), "four requests, one provider call");
        assertFalse(t.hasRequests(), "the outcome answers every request made before it");
        assertEquals(Optional.of(clock.instant().plus(Duration.ofMinutes(55))), schedule.dueAt(t));
    }

    @Test
    void shouldKeepARequestOfAnAbandonedRefreshForTheNextOne() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        final TokenEntry t = token("halo", "org-1");
        schedule.apply(0, requested("halo", "org-1", 1, "r1"));
        fireDue();
        schedule.answered(effects.lastFlight(), new ProviderAnswer.Retryable("http_503"));

        issue("halo", "org-1", 2, clock.instant().plus(Duration.ofHours(1)));

        assertTrue(t.hasRequests());
        assertEquals(Optional.of(clock.instant()), schedule.dueAt(t), "the request is still owed a refresh");
        fireDue();
        schedule.answered(effects.lastFlight(), granted());
        assertEquals(
                "r1",
                assertInstanceOf(RecordTokenRefresh.class, effects.lastSent()).getRequestId());
        assertEquals(2L, ((RecordTokenRefresh) effects.lastSent()).getExpectedVersion());
    }

    // ------------------------------------------------------------------------------------------ lanes, partitions

    @Test
    void shouldQueueACallBehindTheProvidersLimitAndStartItWhenASlotFrees() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        issue("halo", "org-2", 1, T0.plus(Duration.ofHours(1)));
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();

        assertEquals(1, effects.flights.size(), "one slot per provider in this test");
        final TokenEntry first = effects.lastFlight().token();
        final TokenEntry second = first == token("halo", "org-1") ? token("halo", "org-2") : token("halo", "org-1");
        assertEquals(RefreshStage.QUEUED, second.stage());

        schedule.answered(effects.lastFlight(), granted());

        assertEquals(2, effects.flights.size());
        assertSame(second, effects.lastFlight().token());
        assertEquals(RefreshStage.IN_FLIGHT, second.stage());
    }

    @Test
    void shouldStillRecordNewTokensAnsweredAfterThePartitionWasForgotten() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();

        live.clear();
        schedule.forget(0);
        schedule.answered(effects.lastFlight(), granted());

        assertTrue(effects.sent.isEmpty(), "nothing waits for it");
        assertEquals(1, effects.recorded.size(), "the provider may have spent the old refresh token");
        assertEquals(
                1L,
                assertInstanceOf(RecordTokenRefresh.class, effects.recorded.get(0))
                        .getExpectedVersion());
        assertNull(schedule.find("halo", "org-1"));
    }

    @Test
    void shouldCompleteAReleaseOnlyOnceItsCallsHaveEnded() {
        final PartitionHandover handover = new PartitionHandover();
        handover.assigned(0);
        handover.goLive(0);
        final PartitionHandover.Partition p = handover.callStarted(0);
        final CompletableFuture<Map<String, Long>> done = new CompletableFuture<>();

        handover.startRelease(Set.of(0), done);
        handover.check(partitions -> Map.of("halo/org-1", 1L));
        assertFalse(done.isDone(), "a call is in flight");
        assertFalse(handover.live(0));

        handover.callEnded(p);
        handover.check(partitions -> Map.of("halo/org-1", 1L));
        assertEquals(Map.of("halo/org-1", 1L), done.join());
    }

    // ------------------------------------------------------------------------------------------ fixtures

    private TokenEntry refreshedAndAwaiting() {
        connection("halo", GrantType.AUTHORIZATION_CODE);
        issue("halo", "org-1", 1, T0.plus(Duration.ofHours(1)));
        clock.set(T0.plus(Duration.ofMinutes(55)));
        fireDue();
        schedule.answered(effects.lastFlight(), granted());
        return token("halo", "org-1");
    }

    private void fireDue() {
        final long now = clock.millis();
        for (TokenEntry t = schedule.pollDue(now); t != null; t = schedule.pollDue(now)) schedule.fire(t, now);
    }

    private TokenEntry token(String connection, String orgId) {
        return schedule.find(connection, orgId);
    }

    private static long at(Duration sinceT0) {
        return T0.plus(sinceT0).toEpochMilli();
    }

    private static ProviderAnswer.Granted granted() {
        return new ProviderAnswer.Granted("new-access", "new-refresh", 3600L, "Bearer", null);
    }

    private void connection(String name, GrantType grant) {
        connection(name, grant, null, null);
    }

    private void connection(String name, GrantType grant, RefreshTokenRotation rotation, Long grace) {
        schedule.apply(
                0,
                OAuthConnectionCreated.newBuilder()
                        .setEventId(UUID.randomUUID().toString())
                        .setAggregateId(Names.connectionAggregate(name))
                        .setVersion(1)
                        .setOccurredAt(clock.instant())
                        .setCausationId("test")
                        .setConnectionName(name)
                        .setGrantType(grant)
                        .setClientId("app")
                        .setClientSecret(TestKeys.BOX.seal("app-secret", SecretPlaces.clientSecret(name)))
                        .setAuthorizationUrl(null)
                        .setTokenUrl(TOKEN_URL)
                        .setScopes(List.of("read"))
                        .setExtraAuthorizeParams(Map.of())
                        .setClientAuthMethod(ClientAuthMethod.CLIENT_SECRET_BASIC)
                        .setRefreshMarginSeconds(null)
                        .setRefreshTokenRotation(rotation)
                        .setRefreshTokenGrace(grace)
                        .setCreatedAt(clock.instant())
                        .build());
    }

    private void issue(String connection, String orgId, long version, Instant expiresAt) {
        schedule.apply(0, issued(connection, orgId, version, expiresAt, true));
    }

    private TokenIssued issued(String connection, String orgId, long version, Instant expiresAt, boolean refreshable) {
        final String tokenId = Names.tokenId(connection, orgId);
        return TokenIssued.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setAggregateId(Names.tokenAggregate(tokenId))
                .setVersion(version)
                .setOccurredAt(clock.instant())
                .setCausationId("test")
                .setTokenId(tokenId)
                .setConnectionName(connection)
                .setIntegrationName("integration")
                .setOrgId(orgId)
                .setStateHash("state-" + version)
                .setAccessToken(TestKeys.BOX.seal("access", SecretPlaces.accessToken(tokenId)))
                .setRefreshToken(refreshable ? TestKeys.BOX.seal("refresh", SecretPlaces.refreshToken(tokenId)) : null)
                .setExpiresAt(expiresAt)
                .setScopes(List.of("read"))
                .setIssuedAt(clock.instant())
                .setEntityId(null)
                .build();
    }

    private TokenRefreshed refreshedEvent(String connection, String orgId, long version, String requestId) {
        final String tokenId = Names.tokenId(connection, orgId);
        return TokenRefreshed.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setAggregateId(Names.tokenAggregate(tokenId))
                .setVersion(version)
                .setOccurredAt(clock.instant())
                .setCausationId("refresh")
                .setTokenId(tokenId)
                .setConnectionName(connection)
                .setIntegrationName("integration")
                .setOrgId(orgId)
                .setAccessToken(TestKeys.BOX.seal("new-access", SecretPlaces.accessToken(tokenId)))
                .setRefreshToken(TestKeys.BOX.seal("new-refresh", SecretPlaces.refreshToken(tokenId)))
                .setExpiresAt(clock.instant().plusSeconds(3600))
                .setRefreshedAt(clock.instant())
                .setAttempts(1)
                .setRequestId(requestId)
                .build();
    }

    private TokenRefreshFailed failedEvent(
            String connection, String orgId, long version, boolean needsReauth, Instant nextAttemptAt) {
        final String tokenId = Names.tokenId(connection, orgId);
        return TokenRefreshFailed.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setAggregateId(Names.tokenAggregate(tokenId))
                .setVersion(version)
                .setOccurredAt(clock.instant())
                .setCausationId("failure")
                .setTokenId(tokenId)
                .setConnectionName(connection)
                .setIntegrationName("integration")
                .setOrgId(orgId)
                .setReason(needsReauth ? "invalid_grant" : "http_503")
                .setAttempts(3)
                .setNeedsReauth(needsReauth)
                .setNextAttemptAt(nextAttemptAt)
                .setRequestId(null)
                .build();
    }

    private TokenRefreshRequested requested(String connection, String orgId, long version, String requestId) {
        final String tokenId = Names.tokenId(connection, orgId);
        return TokenRefreshRequested.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setAggregateId(Names.tokenAggregate(tokenId))
                .setVersion(version)
                .setOccurredAt(clock.instant())
                .setCausationId(requestId)
                .setTokenId(tokenId)
                .setConnectionName(connection)
                .setIntegrationName("integration")
                .setOrgId(orgId)
                .setRequestId(requestId)
                .build();
    }

    private TokenRevoked revoked(String connection, String orgId) {
        final String tokenId = Names.tokenId(connection, orgId);
        return TokenRevoked.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setAggregateId(Names.tokenAggregate(tokenId))
                .setVersion(2)
                .setOccurredAt(clock.instant())
                .setCausationId("revoke")
                .setTokenId(tokenId)
                .setConnectionName(connection)
                .setIntegrationName("integration")
                .setOrgId(orgId)
                .setReason("revoked")
                .build();
    }

    private OAuthConnectionDeleted deleted(String name) {
        return OAuthConnectionDeleted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setAggregateId(Names.connectionAggregate(name))
                .setVersion(2)
                .setOccurredAt(clock.instant())
                .setCausationId("test")
                .setConnectionName(name)
                .build();
    }

    private static RecordRefreshAttempt attemptOf(TokenEntry t) {
        return RecordRefreshAttempt.newBuilder()
                .setCommandId("another-owner")
                .setIssuedAt(T0)
                .setIssuedBy(RefreshCommands.ISSUED_BY)
                .setExpectedVersion(t.version)
                .setTokenId(t.tokenId())
                .setConnectionName(t.connection.name)
                .setOrgId(t.orgId())
                .setRefreshTokenFingerprint(TokenDecider.fingerprint(t.refreshToken()))
                .build();
    }

    private TokenRefreshAttempted attemptedEvent(RecordRefreshAttempt a, String causationId) {
        return TokenRefreshAttempted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setAggregateId(Names.tokenAggregate(a.getTokenId()))
                .setVersion(a.getExpectedVersion())
                .setOccurredAt(clock.instant())
                .setCausationId(causationId)
                .setTokenId(a.getTokenId())
                .setConnectionName(a.getConnectionName())
                .setIntegrationName("integration")
                .setOrgId(a.getOrgId())
                .setRefreshTokenFingerprint(a.getRefreshTokenFingerprint())
                .build();
    }

    /** The calls and commands the schedule asked for, in order (attempts apart). */
    private final class Recorded implements RefreshSchedule.Effects {
        final List<RefreshSchedule.Flight> flights = new ArrayList<>();
        /** Attempts sent; unless {@link #holdAttempts}, each is recorded at once (its event applied). */
        final List<RecordRefreshAttempt> attempts = new ArrayList<>();

        boolean holdAttempts;
        final List<String> urls = new ArrayList<>();
        final List<SpecificRecord> sent = new ArrayList<>();
        final List<SpecificRecord> recorded = new ArrayList<>();

        @Override
        public void call(RefreshSchedule.Flight flight, String url) {
            flights.add(flight);
            urls.add(url);
        }

        @Override
        public void send(TokenEntry token, SpecificRecord command) {
            if (command instanceof RecordRefreshAttempt a) {
                attempts.add(a);
                if (!holdAttempts) schedule.apply(0, attemptedEvent(a, a.getCommandId()));
                return;
            }
            sent.add(command);
        }

        @Override
        public void record(TokenEntry token, SpecificRecord command) {
            recorded.add(command);
        }

        RefreshSchedule.Flight lastFlight() {
            return flights.get(flights.size() - 1);
        }

        SpecificRecord lastSent() {
            return sent.get(sent.size() - 1);
        }
    }
}
