package com.integrationshub.query.orgview;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.query.json.ConfigJson;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import java.util.Optional;

/** The org's `IntegrationData` of API.md: defaults overlaid key by key by the org's overrides, secrets revealed. */
public final class IntegrationDataJson {

    private IntegrationDataJson() {}

    /** The org's view; with no mapping, entity is null and config is the defaults. */
    public static ObjectNode render(
            IntegrationState integration, Optional<MappingState> mapping, SecretBox box, Optional<ObjectNode> oauth) {
        String name = integration.getName();
        ObjectNode config = ConfigJson.toJson(
                integration.getDefaults(), true, box, key -> SecretPlaces.integrationDefault(name, key));
        mapping.ifPresent(m -> config.setAll(ConfigJson.toJson(
                m.getConfig(), true, box, key -> SecretPlaces.mappingOverride(name, m.getOrgId(), key))));
        ObjectNode out = JsonBody.mapper().createObjectNode();
        out.put("integration_id", integration.getId());
        out.put("name", name);
        out.put("entity_id", mapping.map(MappingState::getEntityId).orElse(null));
        out.put("entity_name", mapping.map(MappingState::getEntityName).orElse(null));
        out.set("config", config);
        if (oauth.isPresent()) out.set("oauth", oauth.get());
        else out.putNull("oauth");
        out.put("version", version(integration, mapping));
        return out;
    }

    /** Grows with every change of the integration or of the org's mapping. */
    public static long version(IntegrationState integration, Optional<MappingState> mapping) {
        return integration.getVersion() + mapping.map(MappingState::getVersion).orElse(0L);
    }
}
