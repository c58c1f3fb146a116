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
    private final VerifiedTokens verified;

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
        this.verified = new VerifiedTokens(settings.verifiedTokens(), settings.clockSkew(), clock);
    }

    /** The bearer token of an Authorization header value, if it is one. */
    public static Optional<String> bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return Optional.empty();
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /** The caller of a valid public token; empty for any token these rules refuse, an internal one included. */
    public Optional<VerifiedToken> verify(String token) {
        TokenVerdict verdict = verdict(token);
        return verdict == null || !timesPass(verdict) ? Optional.empty() : Optional.ofNullable(verdict.bearer());
    }

    /** Whether the token is a valid instance-to-instance token (audience {@link #INTERNAL_AUDIENCE}). */
    public boolean verifyInternal(String token) {
        TokenVerdict verdict = verdict(token);
        return verdict != null && verdict.internal() && timesPass(verdict);
    }

    /**
     * The claims of a valid token of one of this service's own audiences ({@link #CONSOLE_SESSION_AUDIENCE},
     * {@link #CONSOLE_LOGIN_AUDIENCE}): signature, subject and times checked as for a bearer token. Not remembered:
     * the console's few requests do not need it, and its callers read claims a verdict does not keep.
     */
    public Optional<JWTClaimsSet> verifyAudience(String token, String audience) {
        try {
            JWTClaimsSet claims = signedClaims(token);
            if (claims == null) return Optional.empty();
            TokenVerdict verdict = decide(claims);
            if (verdict == null || !timesPass(verdict)) return Optional.empty();
            return claims.getAudience().contains(audience) ? Optional.of(claims) : Optional.empty();
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The longest lifetime a token may have (hub.security.max-token-lifetime). */
    public Duration maxTokenLifetime() {
        return settings.maxTokenLifetime();
    }

    /**
     * What the token is good for: null unless it is well signed and has a subject. A token that passed before is not
     * parsed and its signature not checked again ({@link VerifiedTokens}); the caller checks its times every time.
     */
    private TokenVerdict verdict(String token) {
        VerifiedTokens.Digest digest = verified.digest(token);
        TokenVerdict known = verified.find(digest);
        if (known != null) return known;
        try {
            JWTClaimsSet claims = signedClaims(token);
            TokenVerdict verdict = claims == null ? null : decide(claims);
            // Only a token that passes now is remembered: one not yet valid is checked afresh until it is.
            if (verdict != null && timesPass(verdict)) verified.remember(digest, verdict);
            return verdict;
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    /** The claims of a well-signed HS256 token with a subject; null otherwise. */
    private JWTClaimsSet signedClaims(String token) throws ParseException {
        SignedJWT jwt = SignedJWT.parse(token);
        try {
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) return null;
        } catch (JOSEException e) {
            return null;
        }
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        String subject = claims.getSubject();
        return subject == null || subject.isBlank() ? null : claims;
    }

    /** The verdict on well-signed claims with a subject; null without exp (such a token never passes). */
    private TokenVerdict decide(JWTClaimsSet claims) {
        Date exp = claims.getExpirationTime();
        if (exp == null) return null;
        List<String> audiences = claims.getAudience();
        return new TokenVerdict(
                bearer(claims, audiences),
                audiences.contains(INTERNAL_AUDIENCE),
                exp.getTime(),
                millis(claims.getIssueTime()),
                millis(claims.getNotBeforeTime()));
    }

    /** The caller the claims name as a public bearer token, or null if a bearer token's rules refuse them. */
    private VerifiedToken bearer(JWTClaimsSet claims, List<String> audiences) {
        try {
            if (audiences.stream().anyMatch(NOT_BEARERS::contains)) return null;
            Optional<String> issuer = settings.requiredIssuer();
            if (issuer.isPresent() && !issuer.get().equals(claims.getIssuer())) return null;
            Optional<String> audience = settings.requiredAudience();
            if (audience.isPresent() && !audiences.contains(audience.get())) return null;
            List<String> roles =
                    claims.getClaim("roles") instanceof List<?> ? claims.getStringListClaim("roles") : List.of();
            boolean admin = roles != null && roles.contains("admin");
            Object orgClaim = claims.getClaim("org_id");
            if (orgClaim != null && !(orgClaim instanceof String org && Names.valid(org))) return null;
            Optional<String> org = Optional.ofNullable((String) orgClaim);
            if (!admin && org.isEmpty()) return null;
            return new VerifiedToken(claims.getSubject(), admin, org);
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    private static long millis(Date time) {
        return time == null ? TokenVerdict.ABSENT : time.getTime();
    }

    /** exp not passed and within the maximum lifetime; iat and nbf not in the future (each with the skew). */
    private boolean timesPass(TokenVerdict verdict) {
        Instant now = clock.instant();
        Duration skew = settings.clockSkew();
        Instant exp = Instant.ofEpochMilli(verdict.expiresAt());
        if (!exp.plus(skew).isAfter(now)) return false;
        Instant iat = verdict.issuedAt() == TokenVerdict.ABSENT ? null : Instant.ofEpochMilli(verdict.issuedAt());
        if (iat != null && iat.isAfter(now.plus(skew))) return false;
        if (verdict.notBefore() != TokenVerdict.ABSENT
                && Instant.ofEpochMilli(verdict.notBefore()).isAfter(now.plus(skew))) return false;
        Instant from = iat == null ? now : iat;
        return Duration.between(from, exp).compareTo(settings.maxTokenLifetime()) <= 0;
    }
}
