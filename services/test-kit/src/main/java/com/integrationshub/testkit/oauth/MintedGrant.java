package com.integrationshub.testkit.oauth;

import java.time.Duration;
import java.time.Instant;

/**
 * Tokens the stand-in issued without an HTTP flow, as if a person had just completed the authorization code flow.
 *
 * @param accessToken  the access token
 * @param refreshToken the first refresh token of the family
 * @param family       the family id, for {@link OAuthProviderStandIn#callTimes(String)} and fault targeting
 * @param issuedAt     when they were issued
 * @param expiresIn    the access token lifetime, or null when it does not expire
 */
public record MintedGrant(
        String accessToken, String refreshToken, String family, Instant issuedAt, Duration expiresIn) {

    /** When the access token expires, or null. */
    public Instant expiresAt() {
        return expiresIn == null ? null : issuedAt.plus(expiresIn);
    }
}
