package com.integrationshub.refresher;

import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.oauth.client.TokenOutcome;
import com.integrationshub.oauth.client.TokenResponse;
import com.integrationshub.runtime.secrets.SecretBox;

/** What a provider's token endpoint answered, as the refresher acts on it. */
sealed interface ProviderAnswer {

    /**
     * How the refresher acts on a token call's outcome: a redirect (never followed) or a URL the outbound guard
     * refuses is a refusal like a 4xx, except a host that does not resolve now, which may pass.
     */
    static ProviderAnswer of(TokenOutcome outcome) {
        if (outcome instanceof TokenOutcome.Granted g) {
            final TokenResponse t = g.token();
            return new Granted(t.accessToken(), t.refreshToken(), t.expiresIn(), t.tokenType(), t.scope());
        }
        if (outcome.retryable() || "unresolvable_host".equals(outcome.reason())) return new Retryable(outcome.reason());
        return new Refused(outcome.reason());
    }

    /**
     * New tokens; {@code refreshToken} null when the provider returned none, {@code expiresInSeconds} null when no
     * expiry; {@code sealed} the tokens already sealed at their places, or null.
     */
    record Granted(
            String accessToken,
            String refreshToken,
            Long expiresInSeconds,
            String tokenType,
            String scope,
            Sealed sealed)
            implements ProviderAnswer {

        Granted(String accessToken, String refreshToken, Long expiresInSeconds, String tokenType, String scope) {
            this(accessToken, refreshToken, expiresInSeconds, tokenType, scope, null);
        }

        /**
         * Returns this answer with its tokens sealed for the token's places: done on the thread the answer arrives
         * on, so the scheduler thread only builds and sends the command that records it.
         */
        Granted sealedFor(SecretBox box, String tokenId) {
            final SealedSecret access = box.seal(accessToken, SecretPlaces.accessToken(tokenId));
            final SealedSecret rotated =
                    refreshToken == null ? null : box.seal(refreshToken, SecretPlaces.refreshToken(tokenId));
            return new Granted(
                    accessToken,
                    refreshToken,
                    expiresInSeconds,
                    tokenType,
                    scope,
                    new Sealed(tokenId, access, rotated));
        }

        @Override
        public String toString() {
            return "Granted[expires_in=" + expiresInSeconds + ", rotated=" + (refreshToken != null) + "]";
        }
    }

    /** A granted answer's tokens sealed for a token's places; {@code refreshToken} null when none was returned. */
    record Sealed(String tokenId, SealedSecret accessToken, SealedSecret refreshToken) {}

    /** A failure that may pass (5xx, 408, 429, timeout, connection error): retry with backoff. */
    record Retryable(String reason) implements ProviderAnswer {}

    /** A refusal (invalid_grant, invalid_client, other 4xx): no more attempts until reconnected. */
    record Refused(String reason) implements ProviderAnswer {}
}
