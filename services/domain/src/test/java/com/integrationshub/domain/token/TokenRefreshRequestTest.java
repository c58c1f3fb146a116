package com.integrationshub.domain.token;

import static com.integrationshub.domain.DecisionAssert.acceptedEvent;
import static com.integrationshub.domain.DecisionAssert.rejected;
import static com.integrationshub.domain.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.integrationshub.commands.RequestTokenRefresh;
import com.integrationshub.domain.Fixtures;
import com.integrationshub.domain.Problems;
import com.integrationshub.events.TokenIssued;
import com.integrationshub.events.TokenRefreshFailed;
import com.integrationshub.events.TokenRefreshRequested;
import com.integrationshub.events.TokenRefreshed;
import com.integrationshub.state.TokenState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenRefreshRequestTest {

    private static final Duration MIN = Duration.ofSeconds(30);

    @Test
    void shouldNotRefreshATokenRefreshedWithinTheMinimumIntervalAndAppendNothing() {
        Optional<TokenState> refreshed = TokenDecider.evolve(issued(), refreshedEvent(T0));
        assertEquals(T0, refreshed.get().getRefreshedAt());

        var soon = TokenDecider.decide(request(), Optional.empty(), refreshed, MIN, T0.plusSeconds(29));
        rejected(soon, 409, Problems.REFRESHED_RECENTLY);
        var later = TokenDecider.decide(request(), Optional.empty(), refreshed, MIN, T0.plusSeconds(30));
        acceptedEvent(later, TokenRefreshRequested.class);
    }

    @Test
    void shouldRefreshATokenTheProviderRefusedEvenWithinTheMinimumIntervalButNotANewerOne() {
        Optional<TokenState> refreshed = TokenDecider.evolve(issued(), refreshedEvent(T0));
        long version = refreshed.get().getVersion();
        var refusedNow = RequestTokenRefresh.newBuilder(request())
                .setRejectedVersion(version)
                .build();
        acceptedEvent(
                TokenDecider.decide(refusedNow, Optional.empty(), refreshed, MIN, T0.plusSeconds(1)),
                TokenRefreshRequested.class);
        var refusedEarlier = RequestTokenRefresh.newBuilder(request())
                .setRejectedVersion(version - 1)
                .build();
        rejected(
                TokenDecider.decide(refusedEarlier, Optional.empty(), refreshed, MIN, T0.plusSeconds(1)),
                409,
                Problems.REFRESHED_RECENTLY);
    }

    @Test
    void shouldRefreshANewlyIssuedTokenOrOneWhoseLastRefreshFailed() {
        assertNull(issued().get().getRefreshedAt(), "issued, never refreshed");
        acceptedEvent(TokenDecider.decide(request(), Optional.empty(), issued(), MIN, T0), TokenRefreshRequested.class);

        Optional<TokenState> failed = TokenDecider.evolve(
                TokenDecider.evolve(issued(), refreshedEvent(T0)),
                TokenRefreshFailed.newBuilder()
                        .setEventId("e3")
                        .setAggregateId("oauth-token/c/org-1")
                        .setVersion(3)
                        .setOccurredAt(T0.plusSeconds(5))
                        .setCausationId("c3")
                        .setTokenId("c/org-1")
                        .setConnectionName("c")
                        .setIntegrationName(null)
                        .setOrgId("org-1")
                        .setReason("server_error")
                        .setAttempts(1)
                        .setNeedsReauth(false)
                        .setNextAttemptAt(null)
                        .setRequestId(null)
                        .build());
        acceptedEvent(
                TokenDecider.decide(request(), Optional.empty(), failed, MIN, T0.plusSeconds(6)),
                TokenRefreshRequested.class);
    }

    private static Optional<TokenState> issued() {
        return TokenDecider.evolve(
                Optional.empty(),
                TokenIssued.newBuilder()
                        .setEventId("e1")
                        .setAggregateId("oauth-token/c/org-1")
                        .setVersion(1)
                        .setOccurredAt(T0.minusSeconds(60))
                        .setCausationId("c1")
                        .setTokenId("c/org-1")
                        .setConnectionName("c")
                        .setIntegrationName(null)
                        .setOrgId("org-1")
                        .setEntityId(null)
                        .setStateHash(null)
                        .setAccessToken(Fixtures.secret("a"))
                        .setRefreshToken(Fixtures.secret("r"))
                        .setTokenType("Bearer")
                        .setExpiresAt(T0.plusSeconds(3600))
                        .setScopes(List.of())
                        .setIssuedAt(T0.minusSeconds(60))
                        .build());
    }

    private static TokenRefreshed refreshedEvent(java.time.Instant at) {
        return TokenRefreshed.newBuilder()
                .setEventId("e2")
                .setAggregateId("oauth-token/c/org-1")
                .setVersion(2)
                .setOccurredAt(at)
                .setCausationId("c2")
                .setTokenId("c/org-1")
                .setConnectionName("c")
                .setIntegrationName(null)
                .setOrgId("org-1")
                .setAccessToken(Fixtures.secret("a2"))
                .setRefreshToken(null)
                .setExpiresAt(at.plusSeconds(3600))
                .setRefreshedAt(at)
                .setAttempts(1)
                .setRequestId(null)
                .build();
    }

    private static RequestTokenRefresh request() {
        return RequestTokenRefresh.newBuilder()
                .setCommandId("r1")
                .setIssuedAt(T0)
                .setIssuedBy("t")
                .setTokenId("c/org-1")
                .setConnectionName("c")
                .setIntegrationName(null)
                .setOrgId("org-1")
                .build();
    }
}
