package com.integrationshub.query.security;

import com.integrationshub.runtime.security.JwtVerifier;
import com.integrationshub.runtime.security.SecuritySettings;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The token one query-service instance shows another: audience {@link JwtVerifier#INTERNAL_AUDIENCE}, no roles. It
 * opens only /internal endpoints and makes X-Hub-Forwarded count ({@link Forwarding}); every public endpoint refuses it.
 */
@Singleton
public class InternalToken {

    private static final String SUBJECT = "query-service";
    private static final Duration VALIDITY = Duration.ofMinutes(5);

    private final byte[] secret;
    private final Duration validity;
    private final Clock clock;
    private volatile String token;
    private volatile Instant renewAt = Instant.MIN;

    public InternalToken(SecuritySettings settings, Clock clock) {
        this.clock = clock;
        this.secret = settings.jwtSecret().getBytes(StandardCharsets.UTF_8);
        // Never longer than the receiver accepts.
        this.validity = VALIDITY.compareTo(settings.maxTokenLifetime()) > 0 ? settings.maxTokenLifetime() : VALIDITY;
    }

    /** A valid token, renewed before it expires. */
    public String current() {
        Instant now = clock.instant();
        if (now.isAfter(renewAt)) {
            try {
                SignedJWT jwt = new SignedJWT(
                        new JWSHeader(JWSAlgorithm.HS256),
                        new JWTClaimsSet.Builder()
                                .subject(SUBJECT)
                                .audience(JwtVerifier.INTERNAL_AUDIENCE)
                                .issueTime(Date.from(now))
                                .expirationTime(Date.from(now.plus(validity)))
                                .build());
                jwt.sign(new MACSigner(secret));
                token = jwt.serialize();
                renewAt = now.plus(validity.dividedBy(2));
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot sign the internal token", e);
            }
        }
        return token;
    }
}
