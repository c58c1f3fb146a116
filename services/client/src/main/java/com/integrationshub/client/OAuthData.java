package com.integrationshub.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * The {@code oauth} member of {@link IntegrationData}: the connection and the token the org calls the provider with.
 *
 * <p>For an OAuth 1.0a connection ({@link #isOAuth1()}) the hub answers {@code connection_name}, {@code client_id}
 * (the consumer key), {@code signature_method}, {@code access_token} (RFC 5849's {@code oauth_token}),
 * {@code token_secret} (its {@code oauth_token_secret}) and {@code status}; the OAuth 2.0 members are null (scopes
 * empty), and {@code expires_at} is null unless the provider gave the token a lifetime. To sign a request, use
 * {@link IntegrationsHubClient#sign} or the hub's proxy: the consumer secret is not in this view.
 *
 * <p>{@link #toString()} never prints the secrets.
 *
 * @param connectionName   the OAuth connection's name
 * @param clientId         the OAuth client id
 * @param clientSecret     the OAuth client secret (in clear: this view reveals secrets)
 * @param authorizationUrl the provider's authorization URL, with the org's entity id filled in
 * @param tokenUrl         the provider's token URL, with the org's entity id filled in
 * @param scopes           the scopes asked for
 * @param accessToken      the access token; null when there is none yet
 * @param refreshToken     the refresh token; null when there is none
 * @param expiresAt        when the access token expires; null when unknown
 * @param status           {@code active}, {@code expired}, {@code needs_reauth} or {@code missing}
 *                         (kept as text so a status added later still reads)
 * @param signatureMethod  OAuth 1.0a: {@code HMAC-SHA1}, {@code HMAC-SHA256}, {@code RSA-SHA1} or {@code PLAINTEXT}
 *                         (text, like the status); null for OAuth 2.0
 * @param tokenSecret      OAuth 1.0a: the token secret ({@code oauth_token_secret}); null for OAuth 2.0 or before
 *                         anyone connected
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = true)
public record OAuthData(
        @JsonProperty("connection_name") String connectionName,
        @JsonProperty("client_id") @Nullable String clientId,
        @JsonProperty("client_secret") @Nullable String clientSecret,
        @JsonProperty("authorization_url") @Nullable String authorizationUrl,
        @JsonProperty("token_url") @Nullable String tokenUrl,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("access_token") @Nullable String accessToken,
        @JsonProperty("refresh_token") @Nullable String refreshToken,
        @JsonProperty("expires_at") @Nullable Instant expiresAt,
        @JsonProperty("status") String status,
        @JsonProperty("signature_method") @Nullable String signatureMethod,
        @JsonProperty("token_secret") @Nullable String tokenSecret) {

    /** The token works. */
    public static final String ACTIVE = "active";
    /** The token expired and was not refreshed yet. */
    public static final String EXPIRED = "expired";
    /** The provider refused a refresh; a person must connect again. */
    public static final String NEEDS_REAUTH = "needs_reauth";
    /** Nobody authorized yet. */
    public static final String MISSING = "missing";

    @Creator
    public OAuthData {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /** The {@code oauth} member of an OAuth 2.0 connection (no signature method, no token secret). */
    public OAuthData(
            String connectionName,
            @Nullable String clientId,
            @Nullable String clientSecret,
            @Nullable String authorizationUrl,
            @Nullable String tokenUrl,
            List<String> scopes,
            @Nullable String accessToken,
            @Nullable String refreshToken,
            @Nullable Instant expiresAt,
            String status) {
        this(
                connectionName,
                clientId,
                clientSecret,
                authorizationUrl,
                tokenUrl,
                scopes,
                accessToken,
                refreshToken,
                expiresAt,
                status,
                null,
                null);
    }

    /** Returns whether this is an OAuth 1.0a connection: the hub names a signature method only for those. */
    public boolean isOAuth1() {
        return signatureMethod != null;
    }

    /** Prints the connection, the status and which secrets are present, never their values. */
    @Override
    public String toString() {
        return "OAuthData[connectionName=" + connectionName
                + ", clientId=" + clientId
                + ", authorizationUrl=" + authorizationUrl
                + ", tokenUrl=" + tokenUrl
                + ", scopes=" + scopes
                + ", expiresAt=" + expiresAt
                + ", status=" + status
                + ", signatureMethod=" + signatureMethod
                + ", clientSecret=" + present(clientSecret)
                + ", accessToken=" + present(accessToken)
                + ", refreshToken=" + present(refreshToken)
                + ", tokenSecret=" + present(tokenSecret)
                + "]";
    }

    private static String present(String secret) {
        return secret == null ? "null" : "***";
    }
}
