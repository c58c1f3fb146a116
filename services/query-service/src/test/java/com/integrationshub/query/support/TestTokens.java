package com.integrationshub.query.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Bearer tokens for tests: admin, org, expired, and signed with the wrong secret. */
public final class TestTokens {

    public static final String SECRET = "test-secret-for-hs256-that-is-long-enough-0123456789";

    private TestTokens() {
    }

    /** An admin token. */
    public static String admin() {
        return sign(SECRET, new JWTClaimsSet.Builder().subject("admin-1").claim("roles", List.of("admin"))
                .expirationTime(Date.from(Instant.now().plusSeconds(3600))).build());
    }

    /** A token that may only act for that org. */
    public static String org(String orgId) {
        return sign(SECRET, new JWTClaimsSet.Builder().subject("user-of-" + orgId).claim("org_id", orgId)
                .expirationTime(Date.from(Instant.now().plusSeconds(3600))).build());
    }

    /** An admin token signed with another secret. */
    public static String badSignature() {
        return sign("another-secret-that-is-also-long-enough-0123456789", new JWTClaimsSet.Builder().subject("admin-1")
                .claim("roles", List.of("admin")).build());
    }

    /** An admin token that expired an hour ago. */
    public static String expired() {
        return sign(SECRET, new JWTClaimsSet.Builder().subject("admin-1").claim("roles", List.of("admin"))
                .expirationTime(Date.from(Instant.now().minusSeconds(3600))).build());
    }

    private static String sign(String secret, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
