package com.integrationshub.testkit.oauth;

import java.time.Instant;

/**
 * An access token the stand-in issued.
 *
 * @param value     the token
 * @param clientId  the client it was issued to
 * @param grantType the grant that issued it ({@code authorization_code}, {@code refresh_token},
 *                  {@code client_credentials}, or {@code minted} for {@link OAuthProviderStandIn#mint})
 * @param family    its token family, or null for client credentials
 * @param issuedAt  when it was issued
 * @param expiresAt when it expires, or null when it does not
 * @param valid     whether it is valid at the time of the inspection: not expired, not revoked
 */
public record IssuedAccessToken(
        String value,
        String clientId,
        String grantType,
        String family,
        Instant issuedAt,
        Instant expiresAt,
        boolean valid) {}
