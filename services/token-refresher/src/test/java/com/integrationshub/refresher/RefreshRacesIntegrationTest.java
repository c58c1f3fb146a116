package com.integrationshub.refresher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.RecordRefreshAttempt;
import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.commands.RecordTokenRefreshFailure;
import com.integrationshub.common.RefreshTokenRotation;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.domain.token.TokenDecider;
import com.integrationshub.refresher.support.Await;
import com.integrationshub.refresher.support.CommandProcessorStandIn;
import com.integrationshub.refresher.support.Scenario;
import com.integrationshub.state.TokenState;
import com.integrationshub.testkit.oauth.Fault;
import com.integrationshub.testkit.oauth.MintedGrant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a refresh in flight ends in when something else happens meanwhile, through the real broker (the command
 * processor's deciders in {@link CommandProcessorStandIn}): a reconnect, a deleted connection, an answer after the
 * refresher's timeout, a failure recorded by another owner. Each provider answer here is decided at once (the refresh
 * token exchanged) and sent late ({@link Fault#lateAnswer}).
 */
class RefreshRacesIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final Duration LATE = Duration.ofSeconds(3);

    private Scenario s;

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    @Test
    void shouldKeepTheTokenOfAReconnectMadeWhileARefreshWasInFlight() {
        s = Scenario.start();
        s.hub.createConnection(s.connection("halo"));
        MintedGrant old = s.provider.mint(Scenario.CLIENT, "read");
        String tokenId = s.hub.issue("halo", "org-1", null, old);
        s.provider.failNext(old.family(), 1, Fault.lateAnswer(LATE));
        s.startRefresher();
        s.hub.requestRefresh("halo", "org-1");
        Await.until(WAIT, () -> s.provider.callsWithRefreshToken(old.refreshToken()) == 1, "the refresh call");

        // The person connects the org again while the provider's answer is on its way.
        MintedGrant reconnected = s.provider.mint(Scenario.CLIENT, "read");
        s.hub.issue("halo", "org-1", null, reconnected);

        Await.until(
                WAIT,
                () -> lateRefreshRejected(tokenId),
                "the late answer recorded for version 1 and refused",
                s.hub::summary);
        TokenState token = s.hub.token(tokenId).orElseThrow();
        assertEquals(TokenDecider.ACTIVE, token.getStatus());
        assertEquals(
                reconnected.family(),
                s.provider.familyOf(
                        CommandProcessorStandIn.open(token.getRefreshToken(), SecretPlaces.refreshToken(tokenId))),
                "the reconnect's tokens stay; the late pair of the old grant does not replace them");
        assertEquals(
                reconnected.family(),
                s.provider.familyOf(
                        CommandProcessorStandIn.open(token.getAccessToken(), SecretPlaces.accessToken(tokenId))));
        assertEquals(1, s.provider.callsWithRefreshToken(old.refreshToken()));
        assertEquals(List.of(), s.provider.reusedRefreshTokens());
    }

    @Test
    void shouldDropTheLateAnswerOfADeletedConnectionAndResurrectNothing() {
        s = Scenario.start();
        s.hub.createConnection(s.connection("halo"));
        MintedGrant old = s.provider.mint(Scenario.CLIENT, "read");
        String tokenId = s.hub.issue("halo", "org-1", null, old);
        String oldFingerprint = fingerprint(tokenId);
        s.provider.failNext(old.family(), 1, Fault.lateAnswer(LATE));
        s.startRefresher();
        s.hub.requestRefresh("halo", "org-1");
        Await.until(WAIT, () -> s.provider.callsWithRefreshToken(old.refreshToken()) == 1, "the refresh call");

        s.hub.deleteConnection("halo");
        // Made again at once under the same name, with a new authorization of the org: its token is at version 1
        // again, which a late answer for the old version 1 must not replace.
        s.hub.createConnection(s.connection("halo"));
        MintedGrant fresh = s.provider.mint(Scenario.CLIENT, "read");
        s.hub.issue("halo", "org-1", null, fresh);
        String freshFingerprint = fingerprint(tokenId);
        Await.until(WAIT, () -> s.provider.lateAnswersSent() == 1, "the late answer sent");
        // A refresh of the new token after the late answer came: it goes through, and nothing else was recorded.
        s.hub.requestRefresh("halo", "org-1");
        Await.until(
                WAIT,
                () -> s.hub.commands(RecordTokenRefresh.class, tokenId).size() == 1 && s.hub.version(tokenId) == 2,
                "the new token refreshed",
                s.hub::summary);

        RecordTokenRefresh only =
                s.hub.commands(RecordTokenRefresh.class, tokenId).get(0);
        assertEquals(
                freshFingerprint, only.getRefreshTokenFingerprint(), "the one refresh recorded is the new token's");
        assertTrue(
                s.hub.commands(RecordTokenRefresh.class).stream()
                        .noneMatch(c -> oldFingerprint.equals(c.getRefreshTokenFingerprint())),
                "the deleted token's late answer is dropped, not recorded");
        TokenState token = s.hub.token(tokenId).orElseThrow();
        assertEquals(
                fresh.family(),
                s.provider.familyOf(
                        CommandProcessorStandIn.open(token.getAccessToken(), SecretPlaces.accessToken(tokenId))));
        assertEquals(1, s.provider.callsWithRefreshToken(old.refreshToken()));
        assertEquals(List.of(), s.provider.reusedRefreshTokens());
    }

    @Test
    void shouldNeverPresentARefreshTokenAgainOnAStrictConnectionWhenTheProviderAnswersAfterTheTimeout() {
        s = Scenario.start(3, Map.of("hub.refresher.provider.read-timeout", "1s"));
        s.hub.createConnection(s.connection("halo").withRotation(RefreshTokenRotation.STRICT, null));
        MintedGrant grant = s.provider.mint(Scenario.CLIENT, "read");
        String tokenId = s.hub.issue("halo", "org-1", null, grant);
        s.provider.failNext(grant.family(), 1, Fault.lateAnswer(LATE));
        s.startRefresher();
        s.hub.requestRefresh("halo", "org-1");

        Await.until(
                WAIT,
                () -> TokenDecider.NEEDS_REAUTH.equals(s.hub.status(tokenId)),
                "the token marked as needing reauthorization",
                s.hub::summary);
        Await.until(WAIT, () -> s.provider.lateAnswersSent() == 1, "the late answer sent");

        RecordTokenRefreshFailure failure =
                s.hub.commands(RecordTokenRefreshFailure.class, tokenId).get(0);
        assertEquals(TokenDecider.OUTCOME_LOST, failure.getReason());
        assertTrue(failure.getNeedsReauth());
        assertEquals(
                TokenDecider.OUTCOME_LOST, s.hub.token(tokenId).orElseThrow().getLastFailure());
        assertEquals(1, s.provider.callsWithRefreshToken(grant.refreshToken()), "presented once, never again");
        assertEquals(List.of(), s.provider.reusedRefreshTokens());
        assertEquals(List.of(), s.hub.commands(RecordTokenRefresh.class, tokenId));
    }

    @Test
    void shouldRetryWithTheSameRefreshTokenOnAConnectionThatNeverRotatesWhenTheProviderAnswersAfterTheTimeout() {
        s = Scenario.start(3, Map.of("hub.refresher.provider.read-timeout", "1s"));
        s.provider.setOmitRefreshToken(true);
        s.hub.createConnection(s.connection("halo").withRotation(RefreshTokenRotation.NONE, null));
        MintedGrant grant = s.provider.mint(Scenario.CLIENT, "read");
        String tokenId = s.hub.issue("halo", "org-1", null, grant);
        s.provider.failNext(grant.family(), 1, Fault.lateAnswer(LATE));
        s.startRefresher();
        s.hub.requestRefresh("halo", "org-1");

        Await.until(
                WAIT,
                () -> s.hub.version(tokenId) == 2 && TokenDecider.ACTIVE.equals(s.hub.status(tokenId)),
                "the retry recorded",
                s.hub::summary);

        RecordTokenRefresh refresh =
                s.hub.commands(RecordTokenRefresh.class, tokenId).get(0);
        assertEquals(2, refresh.getAttempts(), "the timed-out call, then the retry");
        assertEquals(2, s.provider.callsWithRefreshToken(grant.refreshToken()), "the same refresh token twice");
        assertEquals(1, s.hub.commands(RecordRefreshAttempt.class, tokenId).size(), "one attempt covers both");
        assertEquals(List.of(), s.hub.commands(RecordTokenRefreshFailure.class, tokenId));
    }

    @Test
    void shouldPresentTheOldRefreshTokenAgainWithinTheGraceWhenTheProviderAnswersAfterTheTimeout() {
        s = Scenario.start(3, Map.of("hub.refresher.provider.read-timeout", "1s"));
        s.provider.setReuseGrace(Duration.ofSeconds(30));
        s.hub.createConnection(s.connection("halo").withRotation(RefreshTokenRotation.GRACE, 30L));
        MintedGrant grant = s.provider.mint(Scenario.CLIENT, "read");
        String tokenId = s.hub.issue("halo", "org-1", null, grant);
        s.provider.failNext(grant.family(), 1, Fault.lateAnswer(LATE));
        s.startRefresher();
        s.hub.requestRefresh("halo", "org-1");

        Await.until(
                WAIT,
                () -> s.hub.version(tokenId) == 2 && TokenDecider.ACTIVE.equals(s.hub.status(tokenId)),
                "the retry within the grace recorded",
                s.hub::summary);

        assertEquals(2, s.provider.callsWithRefreshToken(grant.refreshToken()), "the rotated one, once more");
        assertEquals(List.of(), s.hub.commands(RecordTokenRefreshFailure.class, tokenId));
        TokenState token = s.hub.token(tokenId).orElseThrow();
        assertEquals(
                s.provider.currentRefreshToken(grant.family()),
                CommandProcessorStandIn.open(token.getRefreshToken(), SecretPlaces.refreshToken(tokenId)),
                "the grant lives on with the pair of the retry");
    }

    @Test
    void shouldApplyALateAnswerAcrossAFailureRecordedMeanwhile() {
        s = Scenario.start();
        s.hub.createConnection(s.connection("halo"));
        MintedGrant grant = s.provider.mint(Scenario.CLIENT, "read");
        String tokenId = s.hub.issue("halo", "org-1", null, grant);
        s.provider.failNext(grant.family(), 1, Fault.lateAnswer(LATE));
        s.startRefresher();
        s.hub.requestRefresh("halo", "org-1");
        Await.until(WAIT, () -> s.provider.callsWithRefreshToken(grant.refreshToken()) == 1, "the refresh call");

        // Another owner took the attempt for lost meanwhile (this one was only paused).
        s.hub.recordFailure("halo", "org-1", TokenDecider.OUTCOME_LOST, true);
        assertEquals(TokenDecider.NEEDS_REAUTH, s.hub.status(tokenId));

        Await.until(
                WAIT,
                () -> TokenDecider.ACTIVE.equals(s.hub.status(tokenId)),
                "the late pair applied over the failure",
                s.hub::summary);
        TokenState token = s.hub.token(tokenId).orElseThrow();
        assertEquals(3L, token.getVersion(), "issued, failed, refreshed");
        String refresh = CommandProcessorStandIn.open(token.getRefreshToken(), SecretPlaces.refreshToken(tokenId));
        assertEquals(s.provider.currentRefreshToken(grant.family()), refresh, "the pair the provider issued last");
        assertEquals(List.of(), s.provider.reusedRefreshTokens());
    }

    private boolean lateRefreshRejected(String tokenId) {
        List<String> rejected = s.hub.rejected();
        return s.hub.commands(RecordTokenRefresh.class, tokenId).stream()
                .anyMatch(c -> c.getExpectedVersion() == 1 && rejected.contains(c.getCommandId()));
    }

    private String fingerprint(String tokenId) {
        return TokenDecider.fingerprint(s.hub.token(tokenId).orElseThrow().getRefreshToken());
    }
}
