package com.integrationshub.refresher.support;

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

/** Bearer tokens for the refresher's management endpoints, signed with the deployments' secret. */
public final class TestTokens {

    /** The JWT secret every test deployment uses (hub.security.jwt-secret). */
    public static final String SECRET = "refresher-test-secret-for-hs256-0123456789-abcdef";

    private TestTokens() {
    }

    /** An admin token valid for an hour. */
    public static String admin() {
        return sign(new JWTClaimsSet.Builder().subject("refresher-test-admin").claim("roles", List.of("admin"))
                .expirationTime(Date.from(Instant.now().plusSeconds(3600))).build());
    }

    /** An org token valid for an hour. */
    public static String org(String orgId) {
        return sign(new JWTClaimsSet.Builder().subject("user-of-" + orgId).claim("org_id", orgId)
                .expirationTime(Date.from(Instant.now().plusSeconds(3600))).build());
    }

    private static String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
