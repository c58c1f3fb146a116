package com.integrationshub.query.mapping;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.query.json.ConfigJson;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;

/** The `IntegrationMappingResponse` of API.md. */
public final class MappingJson {

    private MappingJson() {}

    /** The mapping with its overrides, secrets masked. */
    public static ObjectNode render(MappingState m, IntegrationState integration, SecretBox box) {
        ObjectNode out = JsonBody.mapper().createObjectNode();
        out.put("id", m.getId());
        out.put("integration_id", integration.getId());
        out.put("organization_id", m.getOrgId());
        out.put("entity_id", m.getEntityId());
        out.put("entity_name", m.getEntityName());
        out.put("oauth_token_id", m.getOauthTokenId());
        out.set(
                "config",
                ConfigJson.toJson(
                        m.getConfig(),
                        false,
                        box,
                        key -> SecretPlaces.mappingOverride(m.getIntegrationName(), m.getOrgId(), key)));
        out.put("version", m.getVersion());
        out.put("created_at", m.getCreatedAt().toString());
        out.put("updated_at", m.getUpdatedAt().toString());
        return out;
    }
}
