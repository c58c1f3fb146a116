package com.integrationshub.localstack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs the development admin JWT (HS256) of a local run: {@code sub: dev-admin}, {@code roles: [admin]}. */
public final class AdminToken {

    /** Subject of the development admin token. */
    public static final String SUBJECT = "dev-admin";
    /**
     * How long the development admin token is valid: a working day, within the services' default
     * hub.security.max-token-lifetime (24 h); each start of the local stack writes a new one.
     */
    public static final Duration VALIDITY = Duration.ofHours(12);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private AdminToken() {}

    /** Returns a compact JWT for the dev admin issued at {@code now}, signed with the UTF-8 bytes of the secret. */
    public static String sign(String secret, Instant now) {
        final Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "HS256");
        header.put("typ", "JWT");
        final Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", SUBJECT);
        claims.put("roles", List.of("admin"));
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(VALIDITY).getEpochSecond());
        final String signingInput = encode(header) + "." + encode(claims);
        return signingInput + "." + BASE64URL.encodeToString(hmacSha256(secret, signingInput));
    }

    /**
     * The audience of a one-time console login ticket: the query-service's JwtVerifier.CONSOLE_LOGIN_AUDIENCE (this
     * module does not depend on the service's).
     */
    static final String CONSOLE_LOGIN_AUDIENCE = "integrations-hub-console-login";
    /** How long the printed console login link stays usable (once). */
    public static final Duration CONSOLE_TICKET_VALIDITY = Duration.ofHours(1);

    /**
     * A one-time console login ticket for the dev admin: signed like the admin token, of the console login audience
     * (never accepted as a bearer token), with a random id the query-service lets sign in once.
     */
    public static String signConsoleTicket(String secret, Instant now) {
        final Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "HS256");
        header.put("typ", "JWT");
        final Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", SUBJECT);
        claims.put("aud", CONSOLE_LOGIN_AUDIENCE);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(CONSOLE_TICKET_VALIDITY).getEpochSecond());
        final String signingInput = encode(header) + "." + encode(claims);
        return signingInput + "." + BASE64URL.encodeToString(hmacSha256(secret, signingInput));
    }

    /** Returns the HMAC-SHA256 of {@code input} keyed with the UTF-8 bytes of {@code secret}. */
    static byte[] hmacSha256(String secret, String input) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String encode(Map<String, Object> json) {
        try {
            return BASE64URL.encodeToString(JSON.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JWT JSON", e);
        }
    }
}
