package com.integrationshub.refresher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.RecordRefreshAttempt;
import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.commands.RecordTokenRefreshFailure;
import com.integrationshub.common.RefreshTokenRotation;
import com.integrationshub.domain.token.TokenDecider;
import com.integrationshub.refresher.support.Await;
import com.integrationshub.refresher.support.Scenario;
import com.integrationshub.testkit.oauth.MintedGrant;
import com.integrationshub.testkit.oauth.TokenCall;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A refresh attempt recorded with no outcome after it — the owner that made it was killed right after the provider
 * answered — through the real broker: the refresher that takes the partition over never presents that refresh token
 * again (strict rotation) and records why the token needs reauthorization.
 */
class LostOutcomeIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private Scenario scenario;

    @BeforeEach
    void start() {
        scenario = Scenario.start();
        scenario.provider.setExpiresIn(Duration.ofSeconds(4));
    }

    @AfterEach
    void stop() {
        scenario.close();
    }

    @Test
    void shouldMarkATokenWhoseAttemptLostItsOutcomeAsNeedingReauthorizationWithoutPresentingItsRefreshTokenAgain() {
        scenario.hub.createConnection(scenario.connection("halo"));
        final MintedGrant lost = scenario.provider.mint(Scenario.CLIENT, "read");
        final String lostId = scenario.hub.issue("halo", "org-lost", null, lost);
        final MintedGrant fine = scenario.provider.mint(Scenario.CLIENT, "read");
        final String fineId = scenario.hub.issue("halo", "org-fine", null, fine);
        // The previous owner recorded its attempt for org-lost and died before recording the provider's answer.
        scenario.hub.recordAttempt("halo", "org-lost");

        scenario.startRefresher();
        Await.until(
                WAIT,
                () -> TokenDecider.NEEDS_REAUTH.equals(scenario.hub.status(lostId))
                        && scenario.hub
                                        .commands(RecordTokenRefresh.class, fineId)
                                        .size()
                                >= 2,
                "org-lost marked, org-fine refreshed twice",
                scenario.hub::summary);

        final RecordTokenRefreshFailure failure =
                scenario.hub.commands(RecordTokenRefreshFailure.class, lostId).get(0);
        assertEquals(TokenDecider.OUTCOME_LOST, failure.getReason());
        assertTrue(failure.getNeedsReauth());
        assertEquals(1L, failure.getExpectedVersion());
        final List<TokenCall> calls = scenario.provider.calls();
        assertTrue(
                calls.stream().noneMatch(c -> lost.refreshToken().equals(c.refreshToken())),
                "the refresh token of the lost attempt is never presented again: " + calls);
        assertEquals(List.of(), scenario.provider.reusedRefreshTokens());
        assertEquals(List.of(), scenario.hub.commands(RecordTokenRefresh.class, lostId));
        // Every refresh of the other token was recorded as an attempt before its call.
        assertTrue(scenario.hub.commands(RecordRefreshAttempt.class, fineId).size()
                >= scenario.hub.commands(RecordTokenRefresh.class, fineId).size());
    }

    @Test
    void shouldPresentTheSameRefreshTokenAgainAfterALostOutcomeWhenTheProviderNeverRotatesIt() {
        scenario.provider.setOmitRefreshToken(true);
        scenario.hub.createConnection(scenario.connection("halo").withRotation(RefreshTokenRotation.NONE, null));
        final MintedGrant grant = scenario.provider.mint(Scenario.CLIENT, "read");
        final String tokenId = scenario.hub.issue("halo", "org-lost", null, grant);
        scenario.hub.recordAttempt("halo", "org-lost");

        scenario.startRefresher();
        Await.until(
                WAIT,
                () -> !scenario.hub.commands(RecordTokenRefresh.class, tokenId).isEmpty(),
                "the token refreshed with its refresh token",
                scenario.hub::summary);

        final RecordTokenRefresh refresh =
                scenario.hub.commands(RecordTokenRefresh.class, tokenId).get(0);
        assertEquals(1L, refresh.getExpectedVersion());
        assertEquals(grant.refreshToken(), scenario.provider.calls().get(0).refreshToken());
        assertEquals(List.of(), scenario.hub.commands(RecordTokenRefreshFailure.class, tokenId));
        assertEquals(
                List.of(),
                scenario.hub.commands(RecordRefreshAttempt.class, tokenId),
                "the lost attempt covers the retry: none recorded by this owner");
        assertEquals(TokenDecider.ACTIVE, scenario.hub.status(tokenId));
    }

    @Test
    void shouldPresentTheOldRefreshTokenAgainAfterALostOutcomeWithinTheConnectionsGrace() {
        scenario.hub.createConnection(scenario.connection("halo").withRotation(RefreshTokenRotation.GRACE, 600L));
        final MintedGrant grant = scenario.provider.mint(Scenario.CLIENT, "read");
        final String tokenId = scenario.hub.issue("halo", "org-lost", null, grant);
        scenario.hub.recordAttempt("halo", "org-lost");

        scenario.startRefresher();
        Await.until(
                WAIT,
                () -> scenario.hub.version(tokenId) >= 2 && TokenDecider.ACTIVE.equals(scenario.hub.status(tokenId)),
                "the token refreshed within the grace",
                scenario.hub::summary);

        assertEquals(grant.refreshToken(), scenario.provider.calls().get(0).refreshToken());
        assertEquals(List.of(), scenario.hub.commands(RecordTokenRefreshFailure.class, tokenId));
        assertEquals(List.of(), scenario.provider.reusedRefreshTokens());
    }
}
