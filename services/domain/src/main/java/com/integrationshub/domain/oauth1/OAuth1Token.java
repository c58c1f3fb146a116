package com.integrationshub.domain.oauth1;

import java.util.Objects;

/**
 * A token and its shared-secret: temporary credentials (RFC 5849 §2.1) or token credentials (§2.3).
 * {@link #toString()} leaves the secret out.
 */
public record OAuth1Token(String token, String secret) {

    public OAuth1Token {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "OAuth1Token[token=" + token + "]";
    }
}
