package com.integrationshub.runtime.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What the claims of well-signed tokens decided, by the SHA-256 of the token: a client shows the same token with every
 * request for as long as it lives, and parsing it and computing its HMAC again each time is most of what an
 * authenticated request costs. Only tokens whose signature and subject passed go in, as a {@link TokenVerdict} (the
 * caller it names, whether it is an internal token, its times), not their claims; the verifier checks the times again
 * on every use, so a remembered token passes exactly as long as one checked afresh would. It holds digests, never a
 * token, and at most {@code maxEntries} of them; an entry leaves at the latest when its token expires.
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

    private final Cache<Digest, TokenVerdict> verdicts;

    /** Remembers up to {@code maxEntries} tokens (none with 0), each until its exp plus the skew by {@code clock}. */
    VerifiedTokens(int maxEntries, Duration clockSkew, Clock clock) {
        if (maxEntries < 0) throw new IllegalStateException("hub.security.verified-tokens must not be negative");
        this.verdicts = maxEntries == 0
                ? null
                : Caffeine.newBuilder()
                        .maximumSize(maxEntries)
                        .expireAfter(untilExpiry(clockSkew, clock))
                        .build();
    }

    /** The digest to remember a token by; null when nothing is remembered. */
    Digest digest(String token) {
        if (verdicts == null) return null;
        ByteBuffer hash = ByteBuffer.wrap(SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8)));
        return new Digest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
    }

    /** The verdict on the well-signed token with this digest, or null if it is not remembered. */
    TokenVerdict find(Digest digest) {
        return digest == null ? null : verdicts.getIfPresent(digest);
    }

    /** Remembers the verdict on a token whose signature and subject passed. */
    void remember(Digest digest, TokenVerdict verdict) {
        if (digest != null) verdicts.put(digest, verdict);
    }

    private static Expiry<Digest, TokenVerdict> untilExpiry(Duration skew, Clock clock) {
        return new Expiry<>() {
            @Override
            public long expireAfterCreate(Digest key, TokenVerdict value, long currentTime) {
                Duration left = Duration.between(
                        clock.instant(), Instant.ofEpochMilli(value.expiresAt()).plus(skew));
                return left.isNegative() ? 0 : left.toNanos();
            }

            @Override
            public long expireAfterUpdate(Digest key, TokenVerdict value, long currentTime, long currentDuration) {
                return expireAfterCreate(key, value, currentTime);
            }

            @Override
            public long expireAfterRead(Digest key, TokenVerdict value, long currentTime, long currentDuration) {
                return currentDuration;
            }
        };
    }
}
