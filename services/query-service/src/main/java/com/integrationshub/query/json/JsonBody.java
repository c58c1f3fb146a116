package com.integrationshub.query.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.FieldError;
import com.integrationshub.domain.Names;
import com.integrationshub.query.problem.ProblemException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A JSON request body read field by field: every wrong or missing field is collected with its path, so one
 * 422 lists them all. Malformed JSON, duplicate keys or nesting deeper than the limit is a 400.
 */
public final class JsonBody {

    private static final int MAX_NESTING_DEPTH = 64;
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Numbers stay as written: read as a double, a json config value of 1e400 became the string "Infinity".
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final ObjectNode node;
    private final List<FieldError> errors = new ArrayList<>();

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    /** The shared mapper, configured with the same limits. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses a body that must be a JSON object. */
    public static JsonBody parse(String body) {
        if (body == null || body.isBlank()) throw ProblemException.malformed("the request needs a JSON object body");
        JsonNode parsed;
        try {
            parsed = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.malformed("the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (parsed == null || !parsed.isObject()) throw ProblemException.malformed("the body must be a JSON object");
        return new JsonBody((ObjectNode) parsed);
    }

    /** Records an error for a field. */
    public void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    /** Records errors found elsewhere. */
    public void errors(List<FieldError> found) {
        errors.addAll(found);
    }

    /** Refuses members the endpoint does not know, so a typo is not silently ignored. */
    public JsonBody allowOnly(Set<String> known) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) error(name, "unknown field");
        });
        return this;
    }

    /** Whether the body has that member (even null). */
    public boolean has(String field) {
        return node.has(field);
    }

    /** Whether the field is present with the value null. */
    public boolean isNull(String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNull();
    }

    /** A required non-empty string. */
    public String requiredString(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            error(field, "is required");
            return null;
        }
        if (!value.isTextual()) {
            error(field, "must be a string");
            return null;
        }
        if (value.asText().isEmpty()) error(field, "must not be empty");
        return value.asText();
    }

    /** An optional string; null when absent or null. */
    public String optionalString(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) {
            error(field, "must be a string or null");
            return null;
        }
        return value.asText();
    }

    /** A required name matching [A-Za-z0-9_.-]{1,128}. */
    public String requiredName(String field) {
        String value = requiredString(field);
        if (value != null && !value.isEmpty() && !Names.valid(value)) error(field, "must match [A-Za-z0-9_.-]{1,128}");
        return value;
    }

    /** An optional name matching [A-Za-z0-9_.-]{1,128}. */
    public String optionalName(String field) {
        String value = optionalString(field);
        if (value != null && !Names.valid(value)) error(field, "must match [A-Za-z0-9_.-]{1,128}");
        return value;
    }

    /** An optional JSON object, or empty when absent or null. */
    public Optional<ObjectNode> optionalObject(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return Optional.empty();
        if (!value.isObject()) {
            error(field, "must be an object");
            return Optional.empty();
        }
        return Optional.of((ObjectNode) value);
    }

    /** An optional array, or empty when absent or null. */
    public Optional<List<JsonNode>> optionalArray(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return Optional.empty();
        if (!value.isArray()) {
            error(field, "must be an array");
            return Optional.empty();
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        return Optional.of(items);
    }

    /** An optional object of string values, or null when absent or null. */
    public Map<String, String> optionalStringMap(String field) {
        Optional<ObjectNode> object = optionalObject(field);
        if (object.isEmpty()) return null;
        Map<String, String> map = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = object.get().fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) error(field + "." + e.getKey(), "must be a string");
            else map.put(e.getKey(), e.getValue().asText());
        }
        return map;
    }

    /** An optional integer; null when absent or null. */
    public Long optionalLong(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            error(field, "must be an integer or null");
            return null;
        }
        return value.asLong();
    }

    /** An optional array of strings; empty when absent or null. */
    public List<String> optionalStringList(String field) {
        List<String> strings = new ArrayList<>();
        optionalArray(field).ifPresent(items -> {
            for (int i = 0; i < items.size(); i++) {
                if (!items.get(i).isTextual()) error(field + "[" + i + "]", "must be a string");
                else strings.add(items.get(i).asText());
            }
        });
        return strings;
    }

    /** Throws the 422 listing every error found so far. */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) throw ProblemException.invalid(errors);
    }
}
