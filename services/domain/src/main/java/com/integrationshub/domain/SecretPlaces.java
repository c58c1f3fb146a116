package com.integrationshub.domain;

/** The associated data a secret is sealed with: its aggregate and field, so a ciphertext only opens in its place. */
public final class SecretPlaces {

    private SecretPlaces() {}

    /** A secret default of an integration's config. */
    public static String integrationDefault(String integration, String key) {
        return Names.integrationAggregate(integration) + "/defaults/" + key;
    }

    /** A secret override in an org's mapping. */
    public static String mappingOverride(String integration, String orgId, String key) {
        return Names.mappingAggregate(integration, orgId) + "/config/" + key;
    }

    /** The client secret of an OAuth connection. */
    public static String clientSecret(String connectionName) {
        return Names.connectionAggregate(connectionName) + "/client_secret";
    }

    /** The PKCE verifier of one authorization flow, named by the SHA-256 of its state. */
    public static String pkceVerifier(String connectionName, String stateHash) {
        return Names.connectionAggregate(connectionName) + "/authorization/" + stateHash + "/pkce_verifier";
    }

    /** OAuth 1.0a: the temporary token's secret, kept (in the flow's pkce_verifier field) until the callback. */
    public static String temporaryTokenSecret(String connectionName, String stateHash) {
        return Names.connectionAggregate(connectionName) + "/authorization/" + stateHash + "/temporary_token_secret";
    }

    /** OAuth 1.0a: the token secret (oauth_token_secret) the access token signs with. */
    public static String tokenSecret(String tokenId) {
        return Names.tokenAggregate(tokenId) + "/token_secret";
    }

    /** The access token of an OAuth token (also after each refresh); OAuth 1.0a's oauth_token. */
    public static String accessToken(String tokenId) {
        return Names.tokenAggregate(tokenId) + "/access_token";
    }

    /** The refresh token of an OAuth token (also after each rotation). */
    public static String refreshToken(String tokenId) {
        return Names.tokenAggregate(tokenId) + "/refresh_token";
    }

    /** A static credential field (api_key, token, password) of an org, or of the global scope when orgId is null. */
    public static String credential(String integration, String orgIdOrNull, String field) {
        return Names.integrationAggregate(integration) + "/credentials/"
                + (orgIdOrNull == null ? Names.GLOBAL_SCOPE : orgIdOrNull) + "/" + field;
    }
}
