package com.integrationshub.system;

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

/** Bearer tokens signed with the system's secret. */
final class Tokens {

    private Tokens() {
    }

    static String admin() {
        return sign(new JWTClaimsSet.Builder().subject("system-test-admin").claim("roles", List.of("admin"))
                .expirationTime(Date.from(Instant.now().plusSeconds(3600))).build());
    }

    static String org(String orgId) {
        return sign(new JWTClaimsSet.Builder().subject("user-" + orgId).claim("org_id", orgId)
                .expirationTime(Date.from(Instant.now().plusSeconds(3600))).build());
    }

    private static String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(Hub.JWT_SECRET.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
