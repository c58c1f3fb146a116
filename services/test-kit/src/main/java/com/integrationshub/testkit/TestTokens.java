package com.integrationshub.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 bearer tokens for tests, signed with {@link #SECRET} (the {@code hub.security.jwt-secret} /
 * {@code HUB_JWT_SECRET} every test deployment uses): admin, org, expired, and one signed with another secret.
 */
public final class TestTokens {

    /** The JWT secret of every test deployment. */
    public static final String SECRET = "test-secret-for-hs256-that-is-long-enough-0123456789";

    private static final String OTHER_SECRET = "another-secret-that-is-also-long-enough-0123456789";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestTokens() {}

    /** An admin token valid for an hour. */
    public static String admin() {
        return sign(SECRET, claims("test-admin", inAnHour(), "roles", List.of("admin")));
    }

    /** A token that may only act for that org, valid for an hour. */
    public static String org(String orgId) {
        return sign(SECRET, claims("user-of-" + orgId, inAnHour(), "org_id", orgId));
    }

    /** An admin token, valid but for its signature: signed with another secret. */
    public static String badSignature() {
        return sign(OTHER_SECRET, claims("test-admin", inAnHour(), "roles", List.of("admin")));
    }

    /** An admin token that expired an hour ago. */
    public static String expired() {
        return sign(SECRET, claims("test-admin", Instant.now().minusSeconds(3600), "roles", List.of("admin")));
    }

    /**
     * A one-time console login ticket (as the local stack prints in its login link): audience
     * integrations-hub-console-login, a random jti, valid for an hour.
     */
    public static String consoleTicket() {
        Map<String, Object> claims = claims("test-admin", inAnHour(), "aud", "integrations-hub-console-login");
        claims.put("jti", UUID.randomUUID().toString());
        return sign(SECRET, claims);
    }

    private static Instant inAnHour() {
        return Instant.now().plusSeconds(3600);
    }

    private static Map<String, Object> claims(String subject, Instant expiry, String name, Object value) {
        final Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", subject);
        claims.put(name, value);
        claims.put("exp", expiry.getEpochSecond());
        return claims;
    }

    private static String sign(String secret, Map<String, Object> claims) {
        final String input = encode(Map.of("alg", "HS256", "typ", "JWT")) + "." + encode(claims);
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + BASE64URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(Map<String, Object> json) {
        try {
            return BASE64URL.encodeToString(JSON.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
