package com.integrationshub.domain.token;

import com.integrationshub.state.TokenState;
import java.time.Instant;
import java.util.Optional;

/** What the token serving an org is worth right now, as API.md names it (`oauth.status`). */
public enum TokenStatus {
    /** Present, not refused, not past its expiry: served. */
    ACTIVE("active"),
    /** Past its expires_at; a read asks for a refresh first. */
    EXPIRED("expired"),
    /** The provider refused it (a refresh answered invalid_grant...): connect again. */
    NEEDS_REAUTH("needs_reauth"),
    /** No token serves the org. */
    MISSING("missing");

    private final String value;

    TokenStatus(String value) {
        this.value = value;
    }

    /** The status of the token serving an org (empty: none) at `now`. */
    public static TokenStatus of(Optional<TokenState> token, Instant now) {
        if (token.isEmpty()) return MISSING;
        if (TokenDecider.NEEDS_REAUTH.equals(token.get().getStatus())) return NEEDS_REAUTH;
        if (expired(token.get(), now)) return EXPIRED;
        return ACTIVE;
    }

    /** Whether a token has passed its expiry at `now` (a token without expires_at never does). */
    public static boolean expired(TokenState token, Instant now) {
        return token.getExpiresAt() != null && !now.isBefore(token.getExpiresAt());
    }

    /** The status as written in JSON: active, expired, needs_reauth or missing. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
