package com.integrationshub.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;
import java.util.Objects;

/**
 * The body of an upsert: which entity the org is at the provider, and the org's config overrides (checked against
 * the integration's config schema like the defaults; the whole set replaces the previous overrides).
 *
 * @param entityId     the org's entity at the provider, required
 * @param entityName   the entity's display name, or null
 * @param config       the org's overrides; empty for none
 * @param oauthTokenId the org's own OAuth token, or null
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MappingRequest(
        @JsonProperty("entity_id") String entityId,
        @JsonProperty("entity_name") @Nullable String entityName,
        @JsonProperty("config") Map<String, Object> config,
        @JsonProperty("oauth_token_id") @Nullable String oauthTokenId) {

    public MappingRequest {
        Objects.requireNonNull(entityId, "entityId");
        config = config == null ? Map.of() : config;
    }

    /** Returns a request for that entity with no name, no overrides and no own token. */
    public static MappingRequest of(String entityId) {
        return new MappingRequest(entityId, null, Map.of(), null);
    }

    /** Returns a request for that entity and name with these overrides. */
    public static MappingRequest of(String entityId, String entityName, Map<String, Object> config) {
        return new MappingRequest(entityId, entityName, config, null);
    }
}
