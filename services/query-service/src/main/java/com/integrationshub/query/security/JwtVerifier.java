package com.integrationshub.query.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/** Verifies HS256 bearer tokens signed with the configured secret and reads the caller from their claims. */
@Singleton
public class JwtVerifier {

    private static final int MIN_SECRET_BYTES = 32;

    private final MACVerifier verifier;
    private final Clock clock;

    public JwtVerifier(@Value("${hub.security.jwt-secret:}") String secret) {
        this(secret, Clock.systemUTC());
    }

    JwtVerifier(String secret, Clock clock) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("HUB_JWT_SECRET must be set to at least " + MIN_SECRET_BYTES + " bytes");
        }
        try {
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("HUB_JWT_SECRET is not usable for HS256", e);
        }
        this.clock = clock;
    }

    /** The caller of a valid token; empty for a bad signature, a wrong algorithm, expiry or missing claims. */
    public Optional<Caller> verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date now = Date.from(clock.instant());
            if (claims.getExpirationTime() != null && !claims.getExpirationTime().after(now)) return Optional.empty();
            if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().after(now)) return Optional.empty();
            String subject = claims.getSubject();
            if (subject == null || subject.isBlank()) return Optional.empty();
            List<String> roles = claims.getClaim("roles") instanceof List<?> ? claims.getStringListClaim("roles") : List.of();
            boolean admin = roles != null && roles.contains("admin");
            Optional<String> org = Optional.ofNullable(claims.getStringClaim("org_id")).filter(s -> !s.isBlank());
            if (!admin && org.isEmpty()) return Optional.empty();
            return Optional.of(new Caller(subject, admin, org));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
