package com.integrationshub.domain.token;

import static com.integrationshub.domain.DecisionAssert.acceptedEvent;
import static com.integrationshub.domain.DecisionAssert.rejected;
import static com.integrationshub.domain.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.integrationshub.commands.RecordRefreshAttempt;
import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.Fixtures;
import com.integrationshub.domain.Problems;
import com.integrationshub.events.TokenIssued;
import com.integrationshub.events.TokenRefreshAttempted;
import com.integrationshub.events.TokenRefreshFailed;
import com.integrationshub.events.TokenRefreshed;
import com.integrationshub.events.TokenRevoked;
import com.integrationshub.state.TokenState;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Attempts recorded before a provider call, and a provider's answer applied across a concurrent change. */
class TokenRefreshAttemptTest {

    private static final SealedSecret REFRESH = Fixtures.secret("r");

    @Test
    void shouldRecordAnAttemptAtTheCurrentVersionWithoutChangingTheToken() {
        TokenRefreshAttempted e = acceptedEvent(
                TokenDecider.decide(attempt(1, fingerprint()), issued(), T0), TokenRefreshAttempted.class);

        assertEquals(1L, e.getVersion(), "an attempt does not change the token");
        assertEquals(fingerprint(), e.getRefreshTokenFingerprint());
        assertEquals(issued(), TokenDecider.evolve(issued(), e), "nothing of the token changes");
    }

    @Test
    void shouldRefuseAnAttemptFromAnOlderVersionOrAnotherRefreshToken() {
        rejected(TokenDecider.decide(attempt(0, fingerprint()), issued(), T0), 412, Problems.STALE_VERSION);
        rejected(
                TokenDecider.decide(attempt(1, "0123456789abcdef0123456789abcdef"), issued(), T0),
                422,
                Problems.INVALID);
    }

    @Test
    void shouldRefuseAnAttemptOnATokenThatNeedsReauthorization() {
        Optional<TokenState> lost = TokenDecider.evolve(issued(), outcomeLost(2));

        assertEquals(TokenDecider.NEEDS_REAUTH, lost.get().getStatus());
        assertFalse(TokenDecider.decide(attempt(2, fingerprint()), lost, T0).accepted());
    }

    @Test
    void shouldApplyAProviderAnswerRecordedAfterAnotherOwnerMarkedItsOutcomeLost() {
        // The old owner's answer reaches the command processor after the new owner recorded the outcome as lost:
        // the provider has spent the refresh token, so the new pair is applied and the token is active again.
        Optional<TokenState> lost = TokenDecider.evolve(issued(), outcomeLost(2));

        TokenRefreshed e =
                acceptedEvent(TokenDecider.decide(refresh(1, fingerprint()), lost, T0), TokenRefreshed.class);

        assertEquals(3L, e.getVersion());
        assertEquals(TokenDecider.ACTIVE, TokenDecider.evolve(lost, e).get().getStatus());
    }

    @Test
    void shouldRefuseAStaleAnswerMadeFromAnotherRefreshTokenOrWithoutFingerprint() {
        Optional<TokenState> lost = TokenDecider.evolve(issued(), outcomeLost(2));
        rejected(TokenDecider.decide(refresh(1, null), lost, T0), 412, Problems.STALE_VERSION);

        // A reconnect issued a new grant: the answer for the old one loses.
        Optional<TokenState> reconnected = TokenDecider.evolve(issued(), issuedEvent(2, Fixtures.secret("r2")));
        rejected(TokenDecider.decide(refresh(1, fingerprint()), reconnected, T0), 412, Problems.STALE_VERSION);

        Optional<TokenState> revoked = TokenDecider.evolve(
                issued(),
                TokenRevoked.newBuilder()
                        .setEventId("e9")
                        .setAggregateId("oauth-token/c/org-1")
                        .setVersion(2)
                        .setOccurredAt(T0)
                        .setCausationId("c9")
                        .setTokenId("c/org-1")
                        .setConnectionName("c")
                        .setIntegrationName(null)
                        .setOrgId("org-1")
                        .setReason("user")
                        .build());
        rejected(TokenDecider.decide(refresh(1, fingerprint()), revoked, T0), 412, Problems.STALE_VERSION);

        // A newer success that kept the refresh token (a provider that does not rotate): the newer access token stays.
        Optional<TokenState> refreshedSince = TokenDecider.evolve(
                issued(),
                TokenRefreshed.newBuilder()
                        .setEventId("e2")
                        .setAggregateId("oauth-token/c/org-1")
                        .setVersion(2)
                        .setOccurredAt(T0)
                        .setCausationId("c2")
                        .setTokenId("c/org-1")
                        .setConnectionName("c")
                        .setIntegrationName(null)
                        .setOrgId("org-1")
                        .setAccessToken(Fixtures.secret("a3"))
                        .setRefreshToken(null)
                        .setExpiresAt(T0.plusSeconds(3600))
                        .setRefreshedAt(T0)
                        .setAttempts(1)
                        .setRequestId(null)
                        .build());
        rejected(TokenDecider.decide(refresh(1, fingerprint()), refreshedSince, T0), 412, Problems.STALE_VERSION);
    }

    @Test
    void shouldRefuseAnAnswerAtTheTokensVersionMadeFromAnotherRefreshToken() {
        // The connection was deleted and made again and the org connected again (version 1 again, another grant)
        // while the old grant's refresh answer was on its way.
        Optional<TokenState> again = TokenDecider.evolve(Optional.empty(), issuedEvent(1, Fixtures.secret("r-new")));

        rejected(TokenDecider.decide(refresh(1, fingerprint()), again, T0), 409, Problems.CONFLICT);
        acceptedEvent(
                TokenDecider.decide(refresh(1, TokenDecider.fingerprint(Fixtures.secret("r-new"))), again, T0),
                TokenRefreshed.class);
    }

    @Test
    void shouldNameTheSealedRefreshTokenWithoutCarryingIt() {
        assertEquals(32, fingerprint().length());
        assertEquals(fingerprint(), TokenDecider.fingerprint(Fixtures.secret("r")), "stable for the same sealed bytes");
        assertFalse(fingerprint().equals(TokenDecider.fingerprint(Fixtures.secret("r2"))));
    }

    private static String fingerprint() {
        return TokenDecider.fingerprint(REFRESH);
    }

    private static Optional<TokenState> issued() {
        return TokenDecider.evolve(Optional.empty(), issuedEvent(1, REFRESH));
    }

    private static TokenIssued issuedEvent(long version, SealedSecret refresh) {
        return TokenIssued.newBuilder()
                .setEventId("e" + version)
                .setAggregateId("oauth-token/c/org-1")
                .setVersion(version)
                .setOccurredAt(T0.minusSeconds(60))
                .setCausationId("c" + version)
                .setTokenId("c/org-1")
                .setConnectionName("c")
                .setIntegrationName(null)
                .setOrgId("org-1")
                .setEntityId(null)
                .setStateHash(null)
                .setAccessToken(Fixtures.secret("a"))
                .setRefreshToken(refresh)
                .setTokenType("Bearer")
                .setExpiresAt(T0.plusSeconds(3600))
                .setScopes(List.of())
                .setIssuedAt(T0.minusSeconds(60))
                .build();
    }

    private static TokenRefreshFailed outcomeLost(long version) {
        return TokenRefreshFailed.newBuilder()
                .setEventId("e" + version)
                .setAggregateId("oauth-token/c/org-1")
                .setVersion(version)
                .setOccurredAt(T0)
                .setCausationId("c" + version)
                .setTokenId("c/org-1")
                .setConnectionName("c")
                .setIntegrationName(null)
                .setOrgId("org-1")
                .setReason(TokenDecider.OUTCOME_LOST)
                .setAttempts(1)
                .setNeedsReauth(true)
                .setNextAttemptAt(null)
                .setRequestId(null)
                .build();
    }

    private static RecordRefreshAttempt attempt(long expected, String fingerprint) {
        return RecordRefreshAttempt.newBuilder()
                .setCommandId("a1")
                .setIssuedAt(T0)
                .setIssuedBy("token-refresher")
                .setExpectedVersion(expected)
                .setTokenId("c/org-1")
                .setConnectionName("c")
                .setOrgId("org-1")
                .setRefreshTokenFingerprint(fingerprint)
                .build();
    }

    private static RecordTokenRefresh refresh(long expected, String fingerprint) {
        return RecordTokenRefresh.newBuilder()
                .setCommandId("f1")
                .setIssuedAt(T0)
                .setIssuedBy("token-refresher")
                .setExpectedVersion(expected)
                .setTokenId("c/org-1")
                .setConnectionName("c")
                .setIntegrationName(null)
                .setOrgId("org-1")
                .setAccessToken(Fixtures.secret("a2"))
                .setRefreshToken(Fixtures.secret("r2"))
                .setExpiresAt(T0.plusSeconds(3600))
                .setAttempts(1)
                .setRequestId(null)
                .setRefreshTokenFingerprint(fingerprint)
                .build();
    }
}
