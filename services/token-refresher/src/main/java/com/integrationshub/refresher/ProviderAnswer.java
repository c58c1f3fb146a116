package com.integrationshub.refresher;

import com.integrationshub.oauth.client.TokenOutcome;
import com.integrationshub.oauth.client.TokenResponse;

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

    /** New tokens; {@code refreshToken} null when the provider returned none, {@code expiresInSeconds} null when no expiry. */
    record Granted(String accessToken, String refreshToken, Long expiresInSeconds, String tokenType, String scope)
            implements ProviderAnswer {

        @Override
        public String toString() {
            return "Granted[expires_in=" + expiresInSeconds + ", rotated=" + (refreshToken != null) + "]";
        }
    }

    /** A failure that may pass (5xx, 408, 429, timeout, connection error): retry with backoff. */
    record Retryable(String reason) implements ProviderAnswer {}

    /** A refusal (invalid_grant, invalid_client, other 4xx): no more attempts until reconnected. */
    record Refused(String reason) implements ProviderAnswer {}
}
