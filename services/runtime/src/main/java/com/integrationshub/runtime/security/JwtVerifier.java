package com.integrationshub.runtime.security;

import com.integrationshub.domain.Names;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Verifies HS256 bearer tokens signed with the configured secret (API.md, Conventions): exp required and at most
 * {@link SecuritySettings#maxTokenLifetime()} away from iat (or now), iat and nbf not in the future beyond the clock
 * skew, iss and aud as configured, and either roles ["admin"] or a valid org_id. Tokens for the instances' own calls
 * ({@link #INTERNAL_AUDIENCE}) pass only {@link #verifyInternal}, never {@link #verify}.
 */
@Singleton
public class JwtVerifier {

    /** The audience of the tokens one instance shows another; such a token opens only /internal endpoints. */
    public static final String INTERNAL_AUDIENCE = "integrations-hub-internal";
    /** The audience of a console session (the cookie's value): never a bearer token. */
    public static final String CONSOLE_SESSION_AUDIENCE = "integrations-hub-console-session";
    /** The audience of a one-time console login link's ticket: never a bearer token. */
    public static final String CONSOLE_LOGIN_AUDIENCE = "integrations-hub-console-login";

    private static final List<String> NOT_BEARERS =
            List.of(INTERNAL_AUDIENCE, CONSOLE_SESSION_AUDIENCE, CONSOLE_LOGIN_AUDIENCE);

    private static final int MIN_SECRET_BYTES = 32;

    private final MACVerifier verifier;
    private final SecuritySettings settings;
    private final Clock clock;

    @Inject
    public JwtVerifier(SecuritySettings settings) {
        this(settings, Clock.systemUTC());
    }

    public JwtVerifier(SecuritySettings settings, Clock clock) {
        byte[] key = settings.jwtSecret() == null
                ? new byte[0]
                : settings.jwtSecret().getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("HUB_JWT_SECRET must be set to at least " + MIN_SECRET_BYTES + " bytes");
        }
        if (settings.maxTokenLifetime() == null
                || settings.maxTokenLifetime().isNegative()
                || settings.maxTokenLifetime().isZero()) {
            throw new IllegalStateException("hub.security.max-token-lifetime must be positive");
        }
        if (settings.clockSkew() == null || settings.clockSkew().isNegative()) {
            throw new IllegalStateException("hub.security.clock-skew must not be negative");
        }
        try {
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("HUB_JWT_SECRET is not usable for HS256", e);
        }
        this.settings = settings;
        this.clock = clock;
    }

    /** The bearer token of an Authorization header value, if it is one. */
    public static Optional<String> bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return Optional.empty();
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /** The caller of a valid public token; empty for any token these rules refuse, an internal one included. */
    public Optional<VerifiedToken> verify(String token) {
        try {
            Optional<JWTClaimsSet> valid = validClaims(token);
            if (valid.isEmpty()) return Optional.empty();
            JWTClaimsSet claims = valid.get();
            List<String> audiences = claims.getAudience();
            if (audiences.stream().anyMatch(NOT_BEARERS::contains)) return Optional.empty();
            Optional<String> issuer = settings.requiredIssuer();
            if (issuer.isPresent() && !issuer.get().equals(claims.getIssuer())) return Optional.empty();
            Optional<String> audience = settings.requiredAudience();
            if (audience.isPresent() && !audiences.contains(audience.get())) return Optional.empty();
            List<String> roles =
                    claims.getClaim("roles") instanceof List<?> ? claims.getStringListClaim("roles") : List.of();
            boolean admin = roles != null && roles.contains("admin");
            Object orgClaim = claims.getClaim("org_id");
            if (orgClaim != null && !(orgClaim instanceof String org && Names.valid(org))) return Optional.empty();
            Optional<String> org = Optional.ofNullable((String) orgClaim);
            if (!admin && org.isEmpty()) return Optional.empty();
            return Optional.of(new VerifiedToken(claims.getSubject(), admin, org));
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the token is a valid instance-to-instance token (audience {@link #INTERNAL_AUDIENCE}). */
    public boolean verifyInternal(String token) {
        try {
            return validClaims(token)
                    .map(claims -> claims.getAudience().contains(INTERNAL_AUDIENCE))
                    .orElse(false);
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The claims of a valid token of one of this service's own audiences ({@link #CONSOLE_SESSION_AUDIENCE},
     * {@link #CONSOLE_LOGIN_AUDIENCE}): signature, subject and times checked as for a bearer token.
     */
    public Optional<JWTClaimsSet> verifyAudience(String token, String audience) {
        try {
            return validClaims(token).filter(claims -> claims.getAudience().contains(audience));
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The longest lifetime a token may have (hub.security.max-token-lifetime). */
    public Duration maxTokenLifetime() {
        return settings.maxTokenLifetime();
    }

    /** The claims of a well-signed token whose subject and times pass; empty otherwise. */
    private Optional<JWTClaimsSet> validClaims(String token) throws ParseException {
        SignedJWT jwt = SignedJWT.parse(token);
        try {
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier))
                return Optional.empty();
        } catch (JOSEException e) {
            return Optional.empty();
        }
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) return Optional.empty();
        return timesPass(claims) ? Optional.of(claims) : Optional.empty();
    }

    /** exp present, not passed and within the maximum lifetime; iat and nbf not in the future (each with the skew). */
    private boolean timesPass(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Duration skew = settings.clockSkew();
        Date exp = claims.getExpirationTime();
        if (exp == null || !exp.toInstant().plus(skew).isAfter(now)) return false;
        Date iat = claims.getIssueTime();
        if (iat != null && iat.toInstant().isAfter(now.plus(skew))) return false;
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(skew))) return false;
        Instant from = iat == null ? now : iat.toInstant();
        return Duration.between(from, exp.toInstant()).compareTo(settings.maxTokenLifetime()) <= 0;
    }
}
