package com.integrationshub.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;

/**
 * An org's mapping to an integration (API.md "IntegrationMappingResponse").
 *
 * @param id             the mapping's id
 * @param integrationId  the integration's id
 * @param organizationId the org
 * @param entityId       the org's entity at the provider (e.g. its tenant id)
 * @param entityName     the entity's display name, or null
 * @param oauthTokenId   the org's own OAuth token, or null to use the connection's global token
 * @param config         the org's overrides only (secrets read {@code "***"})
 * @param version        grows with every change of the mapping
 * @param createdAt      when the mapping was first written
 * @param updatedAt      when the mapping was last written
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = true)
public record IntegrationMapping(
        @JsonProperty("id") String id,
        @JsonProperty("integration_id") String integrationId,
        @JsonProperty("organization_id") String organizationId,
        @JsonProperty("entity_id") String entityId,
        @JsonProperty("entity_name") @Nullable String entityName,
        @JsonProperty("oauth_token_id") @Nullable String oauthTokenId,
        @JsonProperty("config") Map<String, Object> config,
        @JsonProperty("version") long version,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {

    public IntegrationMapping {
        config = config == null ? Map.of() : config;
    }
}
