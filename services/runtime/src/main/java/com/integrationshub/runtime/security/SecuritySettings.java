package com.integrationshub.runtime.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.Optional;

/**
 * How bearer tokens are checked (hub.security.* in application.yml): the HS256 secret, the longest lifetime a token
 * may have, the clock skew tolerated, and the issuer and audience required when set.
 *
 * @param jwtSecret        the HS256 secret, at least 32 bytes
 * @param maxTokenLifetime a token's exp minus its iat (or minus now, without iat) may not exceed this
 * @param clockSkew        how far in the future iat and nbf may be, and how long after exp a token still passes
 * @param issuer           the required iss; blank: not checked
 * @param audience         an aud the token must name; blank: not checked
 * @param verifiedTokens   how many tokens that passed are remembered (by their SHA-256, with what their claims
 *                         decided: a few hundred bytes each) so that the same token is not parsed and its signature
 *                         not checked again; times are checked on every request all the same. 0: none (default
 *                         20,000: every org's token of a deployment that size)
 */
@ConfigurationProperties(SecuritySettings.PREFIX)
public record SecuritySettings(
        @Bindable(defaultValue = "") String jwtSecret,
        @Bindable(defaultValue = "24h") Duration maxTokenLifetime,
        @Bindable(defaultValue = "30s") Duration clockSkew,
        @Nullable String issuer,
        @Nullable String audience,
        @Bindable(defaultValue = "20000") int verifiedTokens) {

    /** The configuration prefix. */
    public static final String PREFIX = "hub.security";

    /** The issuer tokens must carry, when one is configured. */
    public Optional<String> requiredIssuer() {
        return Optional.ofNullable(issuer).filter(s -> !s.isBlank());
    }

    /** The audience tokens must name, when one is configured. */
    public Optional<String> requiredAudience() {
        return Optional.ofNullable(audience).filter(s -> !s.isBlank());
    }
}
