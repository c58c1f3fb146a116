package com.integrationshub.refresher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.commands.RecordTokenRefreshFailure;
import com.integrationshub.common.RefreshTokenRotation;
import com.integrationshub.refresher.support.Await;
import com.integrationshub.refresher.support.Scenario;
import com.integrationshub.testkit.oauth.Fault;
import com.integrationshub.testkit.oauth.MintedGrant;
import com.integrationshub.testkit.oauth.TokenCall;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RefreshFailureIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(40);

    private Scenario s;

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    @Test
    void shouldRetryServerErrorsWithGrowingBackoffAndRecordOneRefreshOfThreeAttempts() {
        // Equal jitter: retry n waits within [cap/2, cap], cap = 300 ms * 2^(n-1), so the gaps can be measured.
        s = Scenario.start(3, Map.of("hub.refresher.backoff.initial", "300ms", "hub.refresher.backoff.jitter", 0.5));
        s.provider.setExpiresIn(Duration.ofSeconds(2));
        s.hub.createConnection(s.connection("halo"));
        MintedGrant grant = s.provider.mint(Scenario.CLIENT, "read");
        String tokenId = s.hub.issue("halo", "org-1", null, grant);
        s.provider.failNext(grant.family(), 2, Fault.serverError());
        s.startRefresher();

        Await.until(
                WAIT,
                () -> !s.hub.commands(RecordTokenRefresh.class, tokenId).isEmpty(),
                "the refresh after two 500s",
                s.hub::summary);

        RecordTokenRefresh refresh =
                s.hub.commands(RecordTokenRefresh.class, tokenId).get(0);
        assertEquals(3, refresh.getAttempts());
        assertEquals(1L, refresh.getExpectedVersion());
        assertEquals(List.of(), s.hub.commands(RecordTokenRefreshFailure.class, tokenId), "no failure recorded");
        List<TokenCall> calls = s.provider.calls();
        assertEquals(
                List.of(500, 500, 200),
                calls.subList(0, 3).stream().map(TokenCall::status).toList());
        assertTrue(
                calls.subList(0, 3).stream().allMatch(c -> grant.refreshToken().equals(c.refreshToken())),
                "every attempt uses the refresh token the 500s did not spend");
        List<Instant> times = s.provider.callTimes(grant.family());
        Duration first = Duration.between(times.get(0), times.get(1));
        Duration second = Duration.between(times.get(1), times.get(2));
        assertTrue(first.toMillis() >= 150, "first retry after at least 150 ms, was " + first);
        assertTrue(second.toMillis() >= 300, "second retry after at least 300 ms, was " + second);
    }

    @Test
    void shouldRetryATimedOutCallOnAConnectionWhoseRefreshTokensDoNotRotate() {
        // A strict connection never retries a timed-out call (RefreshRacesIntegrationTest): the provider may have
        // exchanged the refresh token.
        s = Scenario.start(3, Map.of("hub.refresher.provider.read-timeout", "500ms"));
        s.provider.setExpiresIn(Duration.ofSeconds(2));
        s.provider.setOmitRefreshToken(true);
        s.hub.createConnection(s.connection("halo").withRotation(RefreshTokenRotation.NONE, null));
        MintedGrant grant = s.provider.mint(Scenario.CLIENT, "read");
        String tokenId = s.hub.issue("halo", "org-1", null, grant);
        s.provider.failNext(grant.family(), 1, Fault.serverError().after(Duration.ofSeconds(2)));
        s.startRefresher();

        Await.until(
                WAIT,
                () -> !s.hub.commands(RecordTokenRefresh.class, tokenId).isEmpty(),
                "the refresh after a timeout",
                s.hub::summary);

        assertEquals(2, s.hub.commands(RecordTokenRefresh.class, tokenId).get(0).getAttempts());
    }

    @Test
    void shouldRecordAFailedRoundAfterTheLastAttemptAndTryAgainLater() {
        s = Scenario.start(
                3,
                Map.of(
                        "hub.refresher.backoff.max-attempts",
                        3,
                        "hub.refresher.backoff.initial",
                        "100ms",
                        "hub.refresher.backoff.round-pause",
                        "1s"));
        s.provider.setExpiresIn(Duration.ofSeconds(2));
        s.hub.createConnection(s.connection("halo"));
        MintedGrant grant = s.provider.mint(Scenario.CLIENT, "read");
        String tokenId = s.hub.issue("halo", "org-1", null, grant);
        s.provider.failNext(grant.family(), 3, Fault.error(503, "temporarily_unavailable"));
        s.startRefresher();

        Await.until(
                WAIT,
                () -> !s.hub.commands(RecordTokenRefresh.class, tokenId).isEmpty(),
                "a refresh in the round after the failed one",
                s.hub::summary);

        List<RecordTokenRefreshFailure> failures = s.hub.commands(RecordTokenRefreshFailure.class, tokenId);
        assertEquals(1, failures.size(), "one failed round");
        RecordTokenRefreshFailure failure = failures.get(0);
        assertEquals("temporarily_unavailable", failure.getReason());
        assertEquals(3, failure.getAttempts());
        assertEquals(false, failure.getNeedsReauth());
        assertNotNull(failure.getNextAttemptAt());
        assertEquals(1L, failure.getExpectedVersion());
        RecordTokenRefresh refresh =
                s.hub.commands(RecordTokenRefresh.class, tokenId).get(0);
        assertEquals(2L, refresh.getExpectedVersion(), "made from the version of the failure");
        assertEquals(4, refresh.getAttempts(), "attempts since the last success");
        Instant retried = s.provider.callTimes(grant.family()).get(3);
        assertTrue(
                !retried.isBefore(failure.getNextAttemptAt().minusMillis(50)),
                "the next round starts at next_attempt_at " + failure.getNextAttemptAt() + ", not at " + retried);
    }

    @Test
    void shouldStopCallingAfterInvalidGrantUntilANewTokenIsIssued() {
        s = Scenario.start();
        s.provider.setExpiresIn(Duration.ofSeconds(2));
        s.hub.createConnection(s.connection("halo"));
        MintedGrant refused = s.provider.mint(Scenario.CLIENT, "read");
        MintedGrant control = s.provider.mint(Scenario.CLIENT, "read");
        String refusedId = s.hub.issue("halo", "org-refused", null, refused);
        String controlId = s.hub.issue("halo", "org-control", null, control);
        s.provider.failNext(refused.family(), 1, Fault.invalidGrant());
        s.startRefresher();

        Await.until(
                WAIT,
                () -> !s.hub.commands(RecordTokenRefreshFailure.class, refusedId)
                        .isEmpty(),
                "the refusal",
                s.hub::summary);
        RecordTokenRefreshFailure failure =
                s.hub.commands(RecordTokenRefreshFailure.class, refusedId).get(0);
        assertEquals("invalid_grant", failure.getReason());
        assertTrue(failure.getNeedsReauth());
        assertNull(failure.getNextAttemptAt());
        int controlBefore = s.hub.commands(RecordTokenRefresh.class, controlId).size();
        // The control token, of the same lifetime and connection, is refreshed three more times meanwhile.
        Await.until(
                WAIT,
                () -> s.hub.commands(RecordTokenRefresh.class, controlId).size() >= controlBefore + 3,
                "three more refreshes of the control token",
                s.hub::summary);
        assertEquals(1, s.provider.callTimes(refused.family()).size(), "no call after invalid_grant");
        assertEquals(List.of(), s.hub.commands(RecordTokenRefresh.class, refusedId));

        MintedGrant reconnected = s.provider.mint(Scenario.CLIENT, "read");
        s.hub.issue("halo", "org-refused", null, reconnected);

        Await.until(
                WAIT,
                () -> !s.hub.commands(RecordTokenRefresh.class, refusedId).isEmpty(),
                "a refresh after the reconnect",
                s.hub::summary);
        RecordTokenRefresh refresh =
                s.hub.commands(RecordTokenRefresh.class, refusedId).get(0);
        assertEquals(3L, refresh.getExpectedVersion(), "issued (1), failed (2), issued again (3)");
        assertEquals(1, s.provider.callTimes(reconnected.family()).size());
        assertEquals(List.of(), s.provider.reusedRefreshTokens());
    }
}
