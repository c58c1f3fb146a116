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
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Console sign-in: an admin token (or a one-time login ticket) becomes a session, the value of an HttpOnly cookie. The
 * session is a JWT of the audience {@link JwtVerifier#CONSOLE_SESSION_AUDIENCE}, which no bearer check accepts, so a
 * cookie never works as an Authorization header nor the other way round; it carries a random CSRF token the page reads
 * from GET /console/session and sends back on every write. Stateless: every instance verifies every session.
 */
@Singleton
public class ConsoleSessions {

    /** The session cookie's name. */
    public static final String COOKIE = "hub_session";
    /** The header every cookie-authenticated write carries. */
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final JwtVerifier verifier;
    private final byte[] secret;
    private final Duration ttl;
    private final int maxPendingTickets;
    private final Duration clockSkew;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Redeemed login tickets (jti → exp), each kept until it expires. */
    private final Map<String, Instant> redeemed = new HashMap<>();

    public ConsoleSessions(JwtVerifier verifier, SecuritySettings security, ConsoleSettings settings, Clock clock) {
        this.verifier = verifier;
        this.secret = security.jwtSecret().getBytes(StandardCharsets.UTF_8);
        Duration max = verifier.maxTokenLifetime();
        this.ttl = settings.sessionTtl().compareTo(max) > 0 ? max : settings.sessionTtl();
        this.maxPendingTickets = settings.maxPendingTickets();
        this.clockSkew = security.clockSkew();
        this.clock = clock;
    }

    /** A signed-in person: who, the CSRF token of their writes, when the session ends. */
    public record Session(String subject, String csrfToken, Instant expiresAt) {

        /** Whether a write's CSRF header is this session's token (compared in constant time). */
        public boolean csrfMatches(String header) {
            return header != null
                    && MessageDigest.isEqual(
                            header.getBytes(StandardCharsets.UTF_8), csrfToken.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A new session and the cookie value that carries it. */
    public record Issued(String cookieValue, Session session, Duration ttl) {}

    /** A session for the subject of an admin token (the caller checked it is one). */
    public Issued issue(String subject) {
        Instant now = clock.instant();
        byte[] csrf = new byte[32];
        random.nextBytes(csrf);
        Session session = new Session(subject, BASE64URL.encodeToString(csrf), now.plus(ttl));
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .audience(JwtVerifier.CONSOLE_SESSION_AUDIENCE)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(session.expiresAt()))
                .claim("csrf", session.csrfToken())
                .build();
        return new Issued(sign(claims), session, ttl);
    }

    /** The session a cookie value carries, if it is a valid, unexpired one. */
    public Optional<Session> verify(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 4096) return Optional.empty();
        return verifier.verifyAudience(cookieValue, JwtVerifier.CONSOLE_SESSION_AUDIENCE)
                .flatMap(claims -> {
                    try {
                        String csrf = claims.getStringClaim("csrf");
                        if (csrf == null || csrf.length() < 32) return Optional.empty();
                        return Optional.of(new Session(
                                claims.getSubject(),
                                csrf,
                                claims.getExpirationTime().toInstant()));
                    } catch (ParseException e) {
                        return Optional.empty();
                    }
                });
    }

    /**
     * Redeems a one-time login ticket (audience {@link JwtVerifier#CONSOLE_LOGIN_AUDIENCE}, with a jti, signed with the
     * JWT secret, e.g. printed by the local stack): the subject once, empty for an invalid, expired or used ticket.
     * Used tickets are remembered by this instance until they expire.
     */
    public Optional<String> redeemTicket(String ticket) {
        if (ticket == null || ticket.isEmpty() || ticket.length() > 4096) return Optional.empty();
        Optional<JWTClaimsSet> claims = verifier.verifyAudience(ticket, JwtVerifier.CONSOLE_LOGIN_AUDIENCE);
        if (claims.isEmpty() || claims.get().getJWTID() == null) return Optional.empty();
        Instant now = clock.instant();
        synchronized (redeemed) {
            // Forgotten only once no verification could pass it any more.
            redeemed.values().removeIf(exp -> exp.plus(clockSkew).plusSeconds(1).isBefore(now));
            if (redeemed.size() >= maxPendingTickets
                    || redeemed.containsKey(claims.get().getJWTID())) {
                return Optional.empty();
            }
            redeemed.put(
                    claims.get().getJWTID(), claims.get().getExpirationTime().toInstant());
        }
        return Optional.of(claims.get().getSubject());
    }

    private String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a console session", e);
        }
    }
}
