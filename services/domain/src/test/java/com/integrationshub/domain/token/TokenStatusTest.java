package com.integrationshub.domain.token;

import static com.integrationshub.domain.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.domain.Fixtures;
import com.integrationshub.events.TokenIssued;
import com.integrationshub.state.TokenState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenStatusTest {

    private static final Instant EXPIRES = T0.plusSeconds(3600);
    private static final Clock BEFORE = Clock.fixed(EXPIRES.minusMillis(1), ZoneOffset.UTC);
    private static final Clock AT_EXPIRY = Clock.fixed(EXPIRES, ZoneOffset.UTC);

    @Test
    void shouldBeActiveUntilTheInstantOfExpiryAndExpiredFromIt() {
        Optional<TokenState> token = issued(EXPIRES);
        assertEquals(TokenStatus.ACTIVE, TokenStatus.of(token, BEFORE.instant()));
        assertEquals(TokenStatus.EXPIRED, TokenStatus.of(token, AT_EXPIRY.instant()));
        assertEquals("expired", TokenStatus.of(token, AT_EXPIRY.instant()).value());
    }

    @Test
    void shouldNeverExpireATokenWithoutExpiry() {
        Optional<TokenState> token = issued(null);
        assertFalse(TokenStatus.expired(token.get(), Instant.MAX));
        assertEquals(TokenStatus.ACTIVE, TokenStatus.of(token, AT_EXPIRY.instant()));
    }

    @Test
    void shouldSayNeedsReauthForARefusedTokenEvenPastItsExpiry() {
        TokenState refused = TokenState.newBuilder(issued(EXPIRES).get())
                .setStatus(TokenDecider.NEEDS_REAUTH)
                .build();
        assertEquals(TokenStatus.NEEDS_REAUTH, TokenStatus.of(Optional.of(refused), AT_EXPIRY.instant()));
        assertEquals("needs_reauth", TokenStatus.NEEDS_REAUTH.value());
    }

    @Test
    void shouldSayMissingWhenNoTokenServes() {
        assertEquals(TokenStatus.MISSING, TokenStatus.of(Optional.empty(), BEFORE.instant()));
        assertEquals("missing", TokenStatus.MISSING.value());
        assertTrue(TokenStatus.expired(issued(EXPIRES).get(), AT_EXPIRY.instant()));
    }

    static Optional<TokenState> issued(Instant expiresAt) {
        return TokenDecider.evolve(
                Optional.empty(),
                TokenIssued.newBuilder()
                        .setEventId("e1")
                        .setAggregateId("oauth-token/c/org-1")
                        .setVersion(1)
                        .setOccurredAt(T0)
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
                        .setExpiresAt(expiresAt)
                        .setScopes(List.of())
                        .setIssuedAt(T0)
                        .build());
    }
}
