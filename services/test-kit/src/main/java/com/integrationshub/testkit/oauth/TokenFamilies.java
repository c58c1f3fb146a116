package com.integrationshub.testkit.oauth;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tokens the stand-in issued, by family: a family is the chain of tokens that started with one authorization
 * (its access tokens and its refresh tokens, of which one at a time is current). A refresh token is active, used
 * (rotated away) or revoked; revoking a family revokes its access tokens and its current refresh token (RFC 9700
 * §4.14.2). Not thread-safe: the stand-in calls it under its lock.
 */
final class TokenFamilies {

    private static final int TOKEN_BYTES = 32;

    /** The state of one refresh token. */
    enum RefreshState {
        ACTIVE,
        USED,
        REVOKED
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, RefreshRecord> refreshTokens = new HashMap<>();
    private final Map<String, AccessRecord> accessTokens = new LinkedHashMap<>();
    private final Map<String, Family> families = new HashMap<>();
    private long familySequence;

    /** Starts a family for a client; returns its id. */
    String newFamily(String clientId, String scope) {
        final Family family = new Family("family-" + (++familySequence), clientId, scope);
        families.put(family.id, family);
        return family.id;
    }

    /** Issues an access token, in a family or (null) outside of any, e.g. for client credentials. */
    String newAccessToken(String clientId, String grant, String familyId, Instant now, Instant expiresAt) {
        final String value = newToken("at_");
        accessTokens.put(value, new AccessRecord(value, clientId, grant, familyId, now, expiresAt));
        if (familyId != null) families.get(familyId).accessTokens.add(value);
        return value;
    }

    /** Issues the family's next refresh token, which becomes its current one. */
    String newRefreshToken(String familyId) {
        final String value = newToken("rt_");
        refreshTokens.put(value, new RefreshRecord(familyId));
        families.get(familyId).currentRefresh = value;
        return value;
    }

    /** Returns a random token value with a prefix, e.g. {@code rt_...}. */
    String newToken(String prefix) {
        final byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Revokes a family's access tokens and its current refresh token at {@code now}; an unknown family is ignored. */
    void revokeFamily(String familyId, Instant now) {
        final Family family = families.get(familyId);
        if (family == null) return;
        if (family.revokedAt == null) family.revokedAt = now;
        for (String access : family.accessTokens) {
            final AccessRecord record = accessTokens.get(access);
            if (record.revokedAt == null) record.revokedAt = now;
        }
        if (family.currentRefresh != null) {
            final RefreshRecord current = refreshTokens.get(family.currentRefresh);
            if (current.state == RefreshState.ACTIVE) current.state = RefreshState.REVOKED;
        }
    }

    /** Marks a refresh token used at {@code at}: rotated away, so presenting it again is reuse (past any grace). */
    void markUsed(String refreshToken, Instant at) {
        final RefreshRecord record = refreshTokens.get(refreshToken);
        record.state = RefreshState.USED;
        record.usedAt = at;
    }

    /** When a used refresh token was rotated away, or null when not known. */
    Instant usedAt(String refreshToken) {
        final RefreshRecord record = refreshTokens.get(refreshToken);
        return record == null ? null : record.usedAt;
    }

    /** Returns the state of a refresh token, or null if the stand-in never issued it. */
    RefreshState refreshState(String refreshToken) {
        final RefreshRecord record = refreshTokens.get(refreshToken);
        return record == null ? null : record.state;
    }

    boolean exists(String familyId) {
        return families.containsKey(familyId);
    }

    String clientOf(String familyId) {
        return families.get(familyId).clientId;
    }

    String scopeOf(String familyId) {
        return families.get(familyId).scope;
    }

    /** Returns the family of a refresh token, or null if the stand-in never issued it. */
    String familyOfRefreshToken(String refreshToken) {
        final RefreshRecord record = refreshTokens.get(refreshToken);
        return record == null ? null : record.family;
    }

    /** Returns the family of a refresh or access token, or null if the stand-in never issued it. */
    String familyOf(String token) {
        final RefreshRecord refresh = refreshTokens.get(token);
        if (refresh != null) return refresh.family;
        final AccessRecord access = accessTokens.get(token);
        return access == null ? null : access.family;
    }

    /** Returns the refresh token a family can use now, or null when it has none (revoked, unknown). */
    String currentRefreshToken(String familyId) {
        final Family family = families.get(familyId);
        if (family == null || family.currentRefresh == null) return null;
        return refreshTokens.get(family.currentRefresh).state == RefreshState.ACTIVE ? family.currentRefresh : null;
    }

    /** Returns how many families were revoked (a reused refresh token or a replayed code). */
    int revokedFamilies() {
        return (int) families.values().stream().filter(f -> f.revokedAt != null).count();
    }

    /** Returns when each access token of a family was valid, in issue order; empty for an unknown family. */
    AccessTokenValidity validity(String familyId) {
        final Family family = families.get(familyId);
        final List<AccessTokenValidity.Window> windows = new ArrayList<>();
        if (family != null) {
            for (String access : family.accessTokens)
                windows.add(accessTokens.get(access).window());
        }
        return new AccessTokenValidity(familyId, windows, family == null ? null : family.revokedAt);
    }

    /** Returns every access token issued so far, in order, each with whether it is valid at {@code now}. */
    List<IssuedAccessToken> issuedAccessTokens(Instant now) {
        return accessTokens.values().stream().map(a -> a.view(now)).toList();
    }

    /** Returns whether this access token was issued and is neither expired nor revoked at {@code now}. */
    boolean accessTokenValid(String accessToken, Instant now) {
        final AccessRecord record = accessTokens.get(accessToken);
        return record != null && record.validAt(now);
    }

    private static final class RefreshRecord {
        final String family;
        RefreshState state = RefreshState.ACTIVE;
        Instant usedAt;

        RefreshRecord(String family) {
            this.family = family;
        }
    }

    private static final class AccessRecord {
        final String value;
        final String clientId;
        final String grant;
        final String family;
        final Instant issuedAt;
        final Instant expiresAt;
        Instant revokedAt;

        AccessRecord(String value, String clientId, String grant, String family, Instant issuedAt, Instant expiresAt) {
            this.value = value;
            this.clientId = clientId;
            this.grant = grant;
            this.family = family;
            this.issuedAt = issuedAt;
            this.expiresAt = expiresAt;
        }

        boolean validAt(Instant now) {
            return (revokedAt == null || now.isBefore(revokedAt)) && (expiresAt == null || now.isBefore(expiresAt));
        }

        /** From its issue until it expired or was revoked, whichever came first (null: neither, yet). */
        AccessTokenValidity.Window window() {
            Instant until = expiresAt;
            if (revokedAt != null && (until == null || revokedAt.isBefore(until))) until = revokedAt;
            return new AccessTokenValidity.Window(value, issuedAt, until);
        }

        IssuedAccessToken view(Instant now) {
            return new IssuedAccessToken(value, clientId, grant, family, issuedAt, expiresAt, validAt(now));
        }
    }

    private static final class Family {
        final String id;
        final String clientId;
        final String scope;
        final Set<String> accessTokens = new LinkedHashSet<>();
        String currentRefresh;
        Instant revokedAt;

        Family(String id, String clientId, String scope) {
            this.id = id;
            this.clientId = clientId;
            this.scope = scope;
        }
    }
}
