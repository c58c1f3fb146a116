package com.integrationshub.refresher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.oauth.client.TokenOutcome;
import com.integrationshub.oauth.client.TokenResponse;
import com.integrationshub.refresher.support.TestKeys;
import com.integrationshub.runtime.secrets.SecretBox;
import org.junit.jupiter.api.Test;

/** How the refresher acts on each outcome of a token call. */
class ProviderAnswerTest {

    @Test
    void shouldRefuseRedirectsAndGuardedUrlsLikeA4xx() {
        assertEquals(
                new ProviderAnswer.Refused("redirect_refused"), ProviderAnswer.of(new TokenOutcome.Redirected(307)));
        assertEquals(
                new ProviderAnswer.Refused("address_not_allowed"),
                ProviderAnswer.of(new TokenOutcome.Blocked("address_not_allowed")));
        assertEquals(
                new ProviderAnswer.Refused("insecure_url"),
                ProviderAnswer.of(new TokenOutcome.Blocked("insecure_url")));
        assertEquals(
                new ProviderAnswer.Refused("invalid_grant"),
                ProviderAnswer.of(new TokenOutcome.Refused(400, "invalid_grant")));
    }

    @Test
    void shouldRetryWhatMayPass() {
        assertEquals(
                new ProviderAnswer.Retryable("timeout"), ProviderAnswer.of(new TokenOutcome.Unavailable("timeout")));
        assertEquals(
                new ProviderAnswer.Retryable("unresolvable_host"),
                ProviderAnswer.of(new TokenOutcome.Blocked("unresolvable_host")));
    }

    @Test
    void shouldCarryAGrantedTokenOver() {
        assertEquals(
                new ProviderAnswer.Granted("at", "rt", 60L, "Bearer", "a b"),
                ProviderAnswer.of(new TokenOutcome.Granted(new TokenResponse("at", "Bearer", 60L, "rt", "a b"))));
    }

    @Test
    void shouldSealTheNewTokensAtTheTokensOwnPlacesWhenTheAnswerArrives() {
        final ProviderAnswer.Sealed sealed = new ProviderAnswer.Granted("at", "rt", 60L, "Bearer", null)
                .sealedFor(TestKeys.BOX, "t-1")
                .sealed();
        assertEquals("t-1", sealed.tokenId());
        assertEquals("at", TestKeys.BOX.open(sealed.accessToken(), SecretPlaces.accessToken("t-1")));
        assertEquals("rt", TestKeys.BOX.open(sealed.refreshToken(), SecretPlaces.refreshToken("t-1")));
        assertThrows(
                SecretBox.SecretNotOpenedException.class,
                () -> TestKeys.BOX.open(sealed.accessToken(), SecretPlaces.accessToken("t-2")));
        assertNull(new ProviderAnswer.Granted("at", null, 60L, "Bearer", null)
                .sealedFor(TestKeys.BOX, "t-1")
                .sealed()
                .refreshToken());
    }
}
