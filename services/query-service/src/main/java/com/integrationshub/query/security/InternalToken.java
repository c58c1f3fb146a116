package com.integrationshub.query.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** The admin token one query-service instance shows another when it reads state the other owns. */
@Singleton
public class InternalToken {

    private static final String SUBJECT = "query-service";
    private static final Duration VALIDITY = Duration.ofMinutes(5);

    private final byte[] secret;
    private volatile String token;
    private volatile Instant renewAt = Instant.MIN;

    public InternalToken(@Value("${hub.security.jwt-secret:}") String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** A valid token, renewed before it expires. */
    public String current() {
        Instant now = Instant.now();
        if (now.isAfter(renewAt)) {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                        .subject(SUBJECT).claim("roles", List.of("admin"))
                        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(VALIDITY))).build());
                jwt.sign(new MACSigner(secret));
                token = jwt.serialize();
                renewAt = now.plus(VALIDITY.dividedBy(2));
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot sign the internal token", e);
            }
        }
        return token;
    }
}
