package com.integrationshub.runtime.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;

/**
 * The claims of tokens whose signature has been checked, by the SHA-256 of the token: a client shows the same token
 * with every request for as long as it lives, and parsing it and computing its HMAC again each time is most of what an
 * authenticated request costs. Only well-signed tokens go in; the caller checks the times again on every use, so a
 * remembered token passes exactly as long as one checked afresh would. It holds digests, never a token, and at most
 * {@code maxEntries} of them; an entry leaves at the latest when its token expires.
 */
final class VerifiedTokens {

    /** A token's SHA-256: equal only for the same token, and no use to anyone who reads it. */
    record Digest(long a, long b, long c, long d) {}

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    });

    private final Cache<Digest, JWTClaimsSet> claims;

    /** Remembers up to {@code maxEntries} tokens (none with 0), each until its exp plus the skew by {@code clock}. */
    VerifiedTokens(int maxEntries, Duration clockSkew, Clock clock) {
        if (maxEntries < 0) throw new IllegalStateException("hub.security.verified-tokens must not be negative");
        this.claims = maxEntries == 0
                ? null
                : Caffeine.newBuilder()
                        .maximumSize(maxEntries)
                        .expireAfter(untilExpiry(clockSkew, clock))
                        .build();
    }

    /** The digest to remember a token by; null when nothing is remembered. */
    Digest digest(String token) {
        if (claims == null) return null;
        ByteBuffer hash = ByteBuffer.wrap(SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8)));
        return new Digest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
    }

    /** The claims of the well-signed token with this digest, or null if it is not remembered. */
    JWTClaimsSet find(Digest digest) {
        return digest == null ? null : claims.getIfPresent(digest);
    }

    /** Remembers the claims of a token whose signature and subject passed. */
    void remember(Digest digest, JWTClaimsSet verified) {
        if (digest != null) claims.put(digest, verified);
    }

    private static Expiry<Digest, JWTClaimsSet> untilExpiry(Duration skew, Clock clock) {
        return new Expiry<>() {
            @Override
            public long expireAfterCreate(Digest key, JWTClaimsSet value, long currentTime) {
                Date exp = value.getExpirationTime();
                if (exp == null) return 0;
                Duration left =
                        Duration.between(clock.instant(), exp.toInstant().plus(skew));
                return left.isNegative() ? 0 : left.toNanos();
            }

            @Override
            public long expireAfterUpdate(Digest key, JWTClaimsSet value, long currentTime, long currentDuration) {
                return expireAfterCreate(key, value, currentTime);
            }

            @Override
            public long expireAfterRead(Digest key, JWTClaimsSet value, long currentTime, long currentDuration) {
                return currentDuration;
            }
        };
    }
}
