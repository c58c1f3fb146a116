package com.integrationshub.domain.config;

import com.integrationshub.common.ConfigField;
import com.integrationshub.common.ConfigFieldType;
import com.integrationshub.common.FieldError;
import com.integrationshub.common.JsonText;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.Names;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An integration's typed config schema. Values are the Avro config union: String (string), Long (int),
 * Boolean (bool), {@link JsonText} (json) and {@link SealedSecret} (secret).
 */
public final class ConfigSchema {

    private final Map<String, ConfigField> fields = new LinkedHashMap<>();

    public ConfigSchema(List<ConfigField> fields) {
        fields.forEach(f -> this.fields.put(f.getKey(), f));
    }

    /** The field of that key, if the schema has it. */
    public Optional<ConfigField> field(String key) {
        return Optional.ofNullable(fields.get(key));
    }

    /** Errors in the schema itself: bad or duplicate keys. */
    public static List<FieldError> checkDefinition(List<ConfigField> fields, String path) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < fields.size(); i++) {
            String key = fields.get(i).getKey();
            String at = path + "[" + i + "].key";
            if (!Names.valid(key)) {
                errors.add(new FieldError(at, Names.RULE));
            } else if (!seen.add(key)) {
                errors.add(new FieldError(at, "duplicate key '" + key + "'"));
            }
        }
        return errors;
    }

    /** Errors of stored or proposed values against this schema: unknown keys and wrong types. */
    public List<FieldError> validateValues(Map<String, Object> values, String path) {
        List<FieldError> errors = new ArrayList<>();
        values.forEach((key, value) -> {
            ConfigField field = fields.get(key);
            if (field == null) {
                errors.add(
                        new FieldError(path + "." + key, "unknown key: the config schema has no field '" + key + "'"));
            } else if (!matches(field.getType(), value)) {
                errors.add(new FieldError(
                        path + "." + key, "must be of type " + typeName(field.getType()) + ", got " + describe(value)));
            }
        });
        return errors;
    }

    /** Errors for required fields missing from an org's effective (merged) config. */
    public List<FieldError> validateRequired(Map<String, Object> merged, String path) {
        List<FieldError> errors = new ArrayList<>();
        for (ConfigField field : fields.values()) {
            if (field.getRequired() && !merged.containsKey(field.getKey())) {
                errors.add(new FieldError(
                        path + "." + field.getKey(), "required: set it in the defaults or in this org's config"));
            }
        }
        return errors;
    }

    /** The lower-case type name used in the HTTP API. */
    public static String typeName(ConfigFieldType type) {
        return type.name().toLowerCase();
    }

    private static boolean matches(ConfigFieldType type, Object value) {
        return switch (type) {
            case STRING -> value instanceof CharSequence;
            case INT -> value instanceof Long || value instanceof Integer;
            case BOOL -> value instanceof Boolean;
            case JSON -> value instanceof JsonText;
            case SECRET -> value instanceof SealedSecret;
        };
    }

    private static String describe(Object value) {
        if (value instanceof CharSequence) return "a string";
        if (value instanceof Long || value instanceof Integer) return "an integer";
        if (value instanceof Boolean) return "a boolean";
        if (value instanceof SealedSecret) return "a secret";
        if (value instanceof JsonText json) return "JSON " + kindOfJson(json.getJson());
        return "an unsupported value";
    }

    private static String kindOfJson(String json) {
        String t = json.strip();
        if (t.startsWith("{")) return "object";
        if (t.startsWith("[")) return "array";
        if (t.equals("null")) return "null";
        if (t.startsWith("\"")) return "string";
        if (t.equals("true") || t.equals("false")) return "boolean";
        return "number";
    }
}
