package com.integrationshub.query.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.domain.Names;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Connect-session tokens: stateless, {@code base64url(claims JSON) "." base64url(HMAC-SHA256)}, with a key derived
 * from the hub's JWT secret for this use only (HKDF-SHA256, info {@value #KEY_LABEL}). Two parts, not a JWT's
 * three, and another key: a session token never passes as an API bearer token, nor a bearer token as a session.
 */
public final class ConnectSessionTokens {

    /** The HKDF info that makes the session key differ from every other key drawn from the hub's secret. */
    static final String KEY_LABEL = "integrations-hub connect-session v1";

    /** The longest token issued: it travels in a URL path, which servers and proxies bound (Netty: 4096 bytes). */
    public static final int MAX_TOKEN_CHARS = 3000;

    private static final String HMAC = "HmacSHA256";
    private static final String TYPE = "connect-session";
    private static final int ID_BYTES = 18;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;

    /** Tokens keyed from the hub's HS256 secret (hub.security.jwt-secret). */
    public ConnectSessionTokens(byte[] hubSecret) {
        this.key = new SecretKeySpec(derive(hubSecret, KEY_LABEL), HMAC);
    }

    /** A new session (random id) for the org's integrations, and its token. */
    public Issued issue(String orgId, List<String> integrations, Optional<String> returnUrl, Instant expiresAt) {
        byte[] id = new byte[ID_BYTES];
        random.nextBytes(id);
        ConnectSession session =
                new ConnectSession(ENCODER.encodeToString(id), orgId, integrations, returnUrl, expiresAt);
        return new Issued(sign(session), session);
    }

    /** A session and the token that carries it. */
    public record Issued(String token, ConnectSession session) {}

    /** What a presented token is worth at `now`: its verdict, and the session when it is valid. */
    public record Reading(Verdict verdict, Optional<ConnectSession> session) {

        static Reading unknown() {
            return new Reading(Verdict.UNKNOWN, Optional.empty());
        }
    }

    /** Valid (well signed, not expired), expired (well signed, past its expiry) or unknown (anything else). */
    public enum Verdict {
        VALID,
        EXPIRED,
        /** Not one of ours: malformed, tampered with, or signed with another key. */
        UNKNOWN
    }

    /** Checks the token's signature, then its claims and expiry. */
    public Reading read(String token, Instant now) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) return Reading.unknown();
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) return Reading.unknown();
        String payload = token.substring(0, dot);
        byte[] presented;
        try {
            presented = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Reading.unknown();
        }
        if (!MessageDigest.isEqual(presented, mac(payload))) return Reading.unknown();
        Optional<ConnectSession> session = claims(payload);
        if (session.isEmpty()) return Reading.unknown();
        return now.isBefore(session.get().expiresAt())
                ? new Reading(Verdict.VALID, session)
                : new Reading(Verdict.EXPIRED, Optional.empty());
    }

    private String sign(ConnectSession session) {
        ObjectNode claims = JSON.createObjectNode();
        claims.put("typ", TYPE);
        claims.put("sid", session.id());
        claims.put("org", session.orgId());
        ArrayNode listed = claims.putArray("int");
        session.integrations().forEach(listed::add);
        session.returnUrl().ifPresent(url -> claims.put("ret", url));
        claims.put("exp", session.expiresAt().getEpochSecond());
        String payload = ENCODER.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        return payload + "." + ENCODER.encodeToString(mac(payload));
    }

    /** The claims of a well-signed payload; empty when they are not a session's (another use of the key, say). */
    private static Optional<ConnectSession> claims(String payload) {
        try {
            JsonNode claims = JSON.readTree(DECODER.decode(payload));
            if (claims == null || !TYPE.equals(claims.path("typ").asText(null))) return Optional.empty();
            String id = claims.path("sid").asText("");
            String org = claims.path("org").asText("");
            JsonNode listed = claims.path("int");
            JsonNode exp = claims.path("exp");
            if (id.isEmpty() || !Names.valid(org) || !listed.isArray() || !exp.canConvertToLong())
                return Optional.empty();
            List<String> integrations = new ArrayList<>();
            for (JsonNode name : listed) {
                if (!name.isTextual() || !Names.valid(name.asText())) return Optional.empty();
                integrations.add(name.asText());
            }
            JsonNode ret = claims.path("ret");
            Optional<String> returnUrl = ret.isTextual() ? Optional.of(ret.asText()) : Optional.empty();
            return Optional.of(
                    new ConnectSession(id, org, integrations, returnUrl, Instant.ofEpochSecond(exp.asLong())));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    /** HKDF-SHA256 (RFC 5869) without salt, one block: a 32-byte key for `info`. */
    static byte[] derive(byte[] inputKey, String info) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(new byte[32], HMAC));
            byte[] pseudoRandomKey = mac.doFinal(inputKey);
            mac.init(new SecretKeySpec(pseudoRandomKey, HMAC));
            mac.update(info.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 1);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
