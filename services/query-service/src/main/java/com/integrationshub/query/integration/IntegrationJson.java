package com.integrationshub.query.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.ConfigField;
import com.integrationshub.common.ConfigFieldType;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.domain.config.ConfigSchema;
import com.integrationshub.query.json.ConfigJson;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.IntegrationState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The `Integration` resource of API.md, read from and written to JSON. */
public final class IntegrationJson {

    /** The config key the proxy reads the provider's base URL from when an integration names none (API.md). */
    public static final String DEFAULT_PROXY_BASE_URL_KEY = "base_url";

    private IntegrationJson() {}

    /** The resource; defaults are masked. */
    public static ObjectNode render(IntegrationState s, SecretBox box) {
        ObjectNode out = JsonBody.mapper().createObjectNode();
        out.put("id", s.getId());
        out.put("name", s.getName());
        out.put("description", s.getDescription());
        out.put("auth_scheme", s.getAuthScheme().name());
        out.put("entity_id_name", s.getEntityIdName());
        out.set("config_schema", schema(s.getConfigSchema()));
        out.put("oauth_connection", s.getOauthConnection());
        ObjectNode headers = out.putObject("credential_headers");
        s.getCredentialHeaders().forEach(headers::put);
        out.put("proxy_base_url_key", s.getProxyBaseUrlKey());
        out.set(
                "defaults",
                ConfigJson.toJson(
                        s.getDefaults(), false, box, key -> SecretPlaces.integrationDefault(s.getName(), key)));
        out.put("version", s.getVersion());
        out.put("created_at", s.getCreatedAt().toString());
        out.put("updated_at", s.getUpdatedAt().toString());
        return out;
    }

    /** The config schema as JSON. */
    public static ArrayNode schema(List<ConfigField> fields) {
        ArrayNode list = JsonBody.mapper().createArrayNode();
        fields.forEach(f -> list.addObject()
                .put("key", f.getKey())
                .put("type", ConfigSchema.typeName(f.getType()))
                .put("required", f.getRequired()));
        return list;
    }

    /** Reads `config_schema`; each entry needs a key and a known type. */
    public static List<ConfigField> readSchema(JsonBody body, String field) {
        List<ConfigField> fields = new ArrayList<>();
        body.optionalArray(field).ifPresent(items -> {
            for (int i = 0; i < items.size(); i++) {
                String at = field + "[" + i + "]";
                JsonNode item = items.get(i);
                if (!item.isObject()) {
                    body.error(at, "must be an object with key, type and required");
                    continue;
                }
                item.fieldNames().forEachRemaining(n -> {
                    if (!List.of("key", "type", "required").contains(n)) body.error(at + "." + n, "unknown field");
                });
                JsonNode key = item.get("key");
                JsonNode type = item.get("type");
                JsonNode required = item.get("required");
                if (key == null || !key.isTextual()) body.error(at + ".key", "is required and must be a string");
                ConfigFieldType parsedType = null;
                if (type == null || !type.isTextual()) {
                    body.error(at + ".type", "is required: one of string, int, bool, json, secret");
                } else {
                    parsedType = configType(type.asText());
                    if (parsedType == null) body.error(at + ".type", "must be one of string, int, bool, json, secret");
                }
                if (required != null && !required.isNull() && !required.isBoolean()) {
                    body.error(at + ".required", "must be a boolean");
                }
                if (key != null && key.isTextual() && parsedType != null) {
                    fields.add(
                            new ConfigField(key.asText(), parsedType, required != null && required.asBoolean(false)));
                }
            }
        });
        return fields;
    }

    /** Reads `auth_scheme`. */
    public static AuthScheme readAuthScheme(JsonBody body, String field) {
        String value = body.requiredString(field);
        if (value == null) return null;
        for (AuthScheme scheme : AuthScheme.values()) {
            if (scheme.name().equals(value)) return scheme;
        }
        body.error(field, "must be one of OAUTH2, OAUTH1, API_KEY, BEARER_TOKEN, BASIC, NO_AUTH");
        return null;
    }

    private static ConfigFieldType configType(String text) {
        return switch (text) {
            case "string", "int", "bool", "json", "secret" -> ConfigFieldType.valueOf(text.toUpperCase(Locale.ROOT));
            default -> null;
        };
    }

    /** Headers must be strings; validated by the body reader. */
    static Map<String, String> headers(JsonBody body) {
        Map<String, String> headers = body.optionalStringMap("credential_headers");
        return headers == null ? Map.of() : headers;
    }
}
