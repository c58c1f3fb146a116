package com.integrationshub.query.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.query.integration.IntegrationJson;
import com.integrationshub.query.json.ConfigJson;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.mapping.MappingJson;
import com.integrationshub.query.oauth.ConnectionJson;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.ConnectionState;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The items of a configuration bundle: each resource as its GET shows it, without what the hub assigns (id,
 * version, times) and without any secret. Built from the resource's own rendering, so a field a GET gains is
 * exported (and imported) without a change here.
 */
public final class BundleItems {

    /** What the hub assigns; never part of a bundle. */
    static final Set<String> ASSIGNED = Set.of("id", "version", "created_at", "updated_at");
    /** The connection fields that are secrets (a masked value, `***`, is dropped too, whatever its name). */
    static final Set<String> CONNECTION_SECRETS = Set.of("client_secret");
    /** Mapping fields that are not configuration: the ids of other resources and the token an authorization linked. */
    static final Set<String> MAPPING_RUNTIME = Set.of("integration_id", "organization_id", "oauth_token_id");

    private BundleItems() {}

    /** The integration's item: its GET without assigned fields; defaults without secret values. */
    public static ObjectNode integration(IntegrationState s, SecretBox box) {
        ObjectNode out = IntegrationJson.render(s, box);
        ASSIGNED.forEach(out::remove);
        out.set(
                "defaults",
                withoutSecrets(s.getDefaults(), box, key -> SecretPlaces.integrationDefault(s.getName(), key)));
        return out;
    }

    /** The connection's item: its GET without assigned fields and without the client secret. */
    public static ObjectNode connection(ConnectionState c) {
        ObjectNode out = ConnectionJson.render(c);
        ASSIGNED.forEach(out::remove);
        CONNECTION_SECRETS.forEach(out::remove);
        List<String> masked = new ArrayList<>();
        out.fields().forEachRemaining(e -> {
            if (ConfigJson.MASK.equals(e.getValue().textValue())) masked.add(e.getKey());
        });
        masked.forEach(out::remove);
        return out;
    }

    /** The mapping's item: `integration` and `org_id` name it, then its GET's fields; overrides without secrets. */
    public static ObjectNode mapping(MappingState m, IntegrationState integration, SecretBox box) {
        ObjectNode rendered = MappingJson.render(m, integration, box);
        ASSIGNED.forEach(rendered::remove);
        MAPPING_RUNTIME.forEach(rendered::remove);
        ObjectNode out = JsonBody.mapper().createObjectNode();
        out.put("integration", m.getIntegrationName());
        out.put("org_id", m.getOrgId());
        out.setAll(rendered);
        out.set(
                "config",
                withoutSecrets(
                        m.getConfig(),
                        box,
                        key -> SecretPlaces.mappingOverride(m.getIntegrationName(), m.getOrgId(), key)));
        return out;
    }

    /** The keys of config values that are secrets (sealed). */
    public static Set<String> secretKeys(Map<String, Object> values) {
        Set<String> keys = new TreeSet<>();
        values.forEach((key, value) -> {
            if (value instanceof SealedSecret) keys.add(key);
        });
        return keys;
    }

    /** A mapping's name in a plan: `<integration>/<org_id>`. */
    public static String mappingName(String integration, String orgId) {
        return integration + "/" + orgId;
    }

    /** The name of an item of a kind, or null when it has none. */
    static String name(String kind, JsonNode item) {
        return switch (kind) {
            case BundleKinds.INTEGRATION -> text(item, "name");
            case BundleKinds.CONNECTION -> text(item, "connection_name");
            default -> {
                String integration = text(item, "integration");
                String org = text(item, "org_id");
                yield integration == null || org == null ? null : mappingName(integration, org);
            }
        };
    }

    private static String text(JsonNode item, String field) {
        JsonNode value = item.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static ObjectNode withoutSecrets(
            Map<String, Object> values, SecretBox box, Function<String, String> place) {
        Map<String, Object> plain = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (!(value instanceof SealedSecret)) plain.put(key, value);
        });
        return ConfigJson.toJson(plain, false, box, place);
    }
}
