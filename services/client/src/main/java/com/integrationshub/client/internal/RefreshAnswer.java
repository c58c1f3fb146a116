package com.integrationshub.client.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * The answer of {@code POST .../refresh} (not part of the client's API).
 *
 * @param expiresAt when the new access token expires; null when the provider gave no lifetime
 * @param status    the token's status after the refresh ({@code active})
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = true)
public record RefreshAnswer(
        @JsonProperty("expires_at") @Nullable Instant expiresAt,
        @JsonProperty("status") @Nullable String status) {}
