package com.integrationshub.refresher;

/** What a provider's token endpoint answered, as the refresher acts on it. */
sealed interface ProviderAnswer {

    /** New tokens; {@code refreshToken} null when the provider returned none, {@code expiresInSeconds} null when no expiry. */
    record Granted(String accessToken, String refreshToken, Long expiresInSeconds, String tokenType, String scope)
            implements ProviderAnswer {

        @Override
        public String toString() {
            return "Granted[expires_in=" + expiresInSeconds + ", rotated=" + (refreshToken != null) + "]";
        }
    }

    /** A failure that may pass (5xx, 408, 429, timeout, connection error): retry with backoff. */
    record Retryable(String reason) implements ProviderAnswer {
    }

    /** A refusal (invalid_grant, invalid_client, other 4xx): no more attempts until reconnected. */
    record Refused(String reason) implements ProviderAnswer {
    }
}
