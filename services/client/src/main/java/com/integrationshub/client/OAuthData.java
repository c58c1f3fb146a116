package com.integrationshub.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * The {@code oauth} member of {@link IntegrationData}: the connection and the token the org calls the provider with.
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
        @JsonProperty("status") String status) {

    /** The token works. */
    public static final String ACTIVE = "active";
    /** The token expired and was not refreshed yet. */
    public static final String EXPIRED = "expired";
    /** The provider refused a refresh; a person must connect again. */
    public static final String NEEDS_REAUTH = "needs_reauth";
    /** Nobody authorized yet. */
    public static final String MISSING = "missing";

    public OAuthData {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }
}
