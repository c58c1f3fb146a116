package com.integrationshub.oauth.client;

import java.util.Objects;

/**
 * The hub's identity at a provider: client id, secret (in clear, only in memory; null for a public client) and how
 * they are sent.
 */
public record OAuthClient(String id, String secret, ClientAuthentication authentication) {

    public OAuthClient {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(authentication, "authentication");
    }

    @Override
    public String toString() {
        return "OAuthClient[id=" + id + ", authentication=" + authentication + "]";
    }
}
