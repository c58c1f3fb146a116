package com.integrationshub.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;
import java.util.Optional;

/**
 * An org's view of an integration (API.md "IntegrationData"): the defaults overlaid key by key by the org's
 * overrides, secrets in clear. {@link #toString()} names the config keys only and masks the OAuth secrets.
 *
 * @param integrationId the integration's id
 * @param name          the integration's name
 * @param entityId      the org's entity at the provider (e.g. its tenant id); null without a mapping
 * @param entityName    the entity's display name; null without a mapping
 * @param config        the merged config: strings, numbers, booleans, lists and maps as JSON has them
 * @param oauth         the OAuth connection and token to use; null when the integration has no OAuth connection
 * @param version       grows with every change of the integration or the org's mapping
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = true)
public record IntegrationData(
        @JsonProperty("integration_id") String integrationId,
        @JsonProperty("name") String name,
        @JsonProperty("entity_id") @Nullable String entityId,
        @JsonProperty("entity_name") @Nullable String entityName,
        @JsonProperty("config") Map<String, Object> config,
        @JsonProperty("oauth") @Nullable OAuthData oauth,
        @JsonProperty("version") long version) {

    public IntegrationData {
        config = config == null ? Map.of() : config;
    }

    /** Returns the OAuth member, empty when the integration has no OAuth connection. */
    public Optional<OAuthData> oauthData() {
        return Optional.ofNullable(oauth);
    }

    /** Names the config keys, not their values: a secret config value is in clear here. */
    @Override
    public String toString() {
        return "IntegrationData[integrationId=" + integrationId
                + ", name=" + name
                + ", entityId=" + entityId
                + ", entityName=" + entityName
                + ", config=" + config.keySet()
                + ", oauth=" + oauth
                + ", version=" + version
                + "]";
    }
}
