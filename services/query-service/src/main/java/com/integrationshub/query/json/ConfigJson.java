package com.integrationshub.query.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.ConfigField;
import com.integrationshub.common.ConfigFieldType;
import com.integrationshub.common.JsonText;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.config.ConfigSchema;
import com.integrationshub.runtime.secrets.SecretBox;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Converts config between HTTP JSON and the Avro config union. Values of `secret` fields are sealed on the way
 * in and masked (or, on the endpoints that reveal secrets, opened) on the way out. Type errors are left to the
 * decider, which checks every value against the schema it decides with.
 */
public final class ConfigJson {

    /** What a secret reads as outside the endpoints that reveal secrets. */
    public static final String MASK = "***";

    private ConfigJson() {}

    /** Config values from a JSON object; strings of secret fields are sealed for the place `placeOf(key)`. */
    public static Map<String, Object> fromJson(
            ObjectNode config,
            String path,
            ConfigSchema schema,
            SecretBox box,
            Function<String, String> placeOf,
            JsonBody errors) {
        Map<String, Object> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = config.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            Optional<ConfigFieldType> type = schema.field(e.getKey()).map(ConfigField::getType);
            String field = path + "." + JsonBody.named(e.getKey());
            if (type.isEmpty()) {
                // Refused here, not sent: a misspelled secret key must not carry its value in clear to the topic.
                errors.error(field, "unknown key: the config schema has no such field");
            } else if (type.get() == ConfigFieldType.JSON
                    && !errors.withinValueBudget(field, e.getValue().toString())) {
                continue;
            } else if (type.get() == ConfigFieldType.SECRET) {
                // A secret never travels in clear: a value that cannot be sealed is refused here, not sent.
                if (e.getValue().isTextual())
                    values.put(e.getKey(), box.seal(e.getValue().asText(), placeOf.apply(e.getKey())));
                else errors.error(field, "must be of type secret (a string)");
            } else {
                values.put(e.getKey(), value(e.getValue(), type.get()));
            }
        }
        // Listed with the unknown keys so one 422 names every bad field; the decider checks again against its schema.
        errors.errors(schema.validateValues(values, path));
        return values;
    }

    /** JSON of config values; secrets are masked unless `reveal`, when they are opened for their place. */
    public static ObjectNode toJson(
            Map<String, Object> values, boolean reveal, SecretBox box, Function<String, String> placeOf) {
        ObjectNode out = JsonBody.mapper().createObjectNode();
        values.forEach((key, value) -> {
            if (value instanceof SealedSecret sealed) {
                out.put(key, reveal ? box.open(sealed, placeOf.apply(key)) : MASK);
            } else if (value instanceof JsonText json) {
                out.set(key, parse(json.getJson()));
            } else if (value instanceof Long l) {
                out.put(key, l);
            } else if (value instanceof Boolean b) {
                out.put(key, b);
            } else {
                out.put(key, String.valueOf(value));
            }
        });
        return out;
    }

    private static Object value(JsonNode node, ConfigFieldType type) {
        if (type == ConfigFieldType.JSON) return new JsonText(node.toString());
        if (node.isTextual()) return node.asText();
        if (node.isIntegralNumber() && node.canConvertToLong()) return node.asLong();
        if (node.isBoolean()) return node.asBoolean();
        // Anything else cannot be a string, int or bool: the decider refuses it with the field's expected type.
        return new JsonText(node.toString());
    }

    private static JsonNode parse(String json) {
        try {
            return JsonBody.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored json config value does not parse", e);
        }
    }
}
