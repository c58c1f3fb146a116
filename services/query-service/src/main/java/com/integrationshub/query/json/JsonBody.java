package com.integrationshub.query.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.FieldError;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.Problems;
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
 * 422 lists them all. Malformed JSON, duplicate keys or nesting deeper than the limit is a 400 that does not quote
 * the input. Size budgets ({@link RequestLimits}) are checked first: a body over its budget is a 413, a value or a
 * list over its budget a 422 naming the field.
 */
public final class JsonBody {

    private static final int MAX_NESTING_DEPTH = 64;
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            // Long names are left to the value budget, which answers 422 naming the field.
                            .maxNameLength(2 * 1024 * 1024)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Numbers stay as written: read as a double, a json config value of 1e400 became the string "Infinity".
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** How long a field name may be where a problem names it; longer ones are cut, so no big input is echoed. */
    private static final int MAX_NAMED_KEY = 64;

    private static volatile Limits limits = new Limits(
            RequestLimits.DEFAULT_MAX_BODY_BYTES,
            RequestLimits.DEFAULT_MAX_VALUE_BYTES,
            RequestLimits.DEFAULT_MAX_ENTRIES);

    private final ObjectNode node;
    private final List<FieldError> errors = new ArrayList<>();

    /** The size budgets of a body: its bytes, one value's bytes, one list's or object's entries. */
    public record Limits(int maxBodyBytes, int maxValueBytes, int maxEntries) {}

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    /** The shared mapper, configured with the same limits. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Sets the budgets every parse checks (done once at start by {@link RequestLimits}). */
    static void use(Limits configured) {
        limits = configured;
    }

    /** The budgets in force. */
    public static Limits limits() {
        return limits;
    }

    /** Parses a body that must be a JSON object, within the default body budget. */
    public static JsonBody parse(String body) {
        return parse(body, limits.maxBodyBytes());
    }

    /** Parses a body that must be a JSON object, for a route with its own body budget (e.g. a spec upload). */
    public static JsonBody parse(String body, int maxBodyBytes) {
        if (body == null || body.isBlank()) throw ProblemException.malformed("the request needs a JSON object body");
        long bytes = utf8Length(body);
        if (bytes > maxBodyBytes) {
            throw ProblemException.tooLarge(
                    "the body is " + bytes + " bytes, over the limit of " + maxBodyBytes + " bytes");
        }
        JsonNode parsed;
        try {
            parsed = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.malformed(notJson(e));
        }
        if (parsed == null || !parsed.isObject()) throw ProblemException.malformed("the body must be a JSON object");
        List<FieldError> overBudget = new ArrayList<>();
        checkBudgets(parsed, "", limits, overBudget);
        if (!overBudget.isEmpty()) throw ProblemException.invalid(overBudget);
        return new JsonBody((ObjectNode) parsed);
    }

    /** Whether a value's JSON text is within the value budget; records an error naming the field if not. */
    public boolean withinValueBudget(String field, String json) {
        long bytes = utf8Length(json);
        if (bytes <= limits.maxValueBytes()) return true;
        error(field, "is " + bytes + " bytes, over the limit of " + limits.maxValueBytes() + " bytes");
        return false;
    }

    /** A field name fit to appear in a problem: cut when long, so a huge key is not echoed back. */
    public static String named(String key) {
        return key.length() <= MAX_NAMED_KEY ? key : key.substring(0, MAX_NAMED_KEY) + "…";
    }

    // Jackson's messages quote the offending input; the problem says only where parsing stopped.
    private static String notJson(JsonProcessingException e) {
        String where = e.getLocation() == null
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
        if (e instanceof StreamConstraintsException) {
            return "the body is over a JSON limit (nesting deeper than " + MAX_NESTING_DEPTH
                    + " levels, or a number or string too long)" + where;
        }
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (message.startsWith("Duplicate field")) return "the body has a duplicate member" + where;
        return "the body is not valid JSON" + where;
    }

    private static void checkBudgets(JsonNode node, String path, Limits budget, List<FieldError> found) {
        if (found.size() > Problems.MAX_LISTED_ERRORS) return;
        String field = path.isEmpty() ? "(body)" : path;
        if (node.isTextual()) {
            long bytes = utf8Length(node.textValue());
            if (bytes > budget.maxValueBytes()) {
                found.add(new FieldError(
                        field, "is " + bytes + " bytes, over the limit of " + budget.maxValueBytes() + " bytes"));
            }
        } else if (node.isArray() || node.isObject()) {
            if (node.size() > budget.maxEntries()) {
                found.add(new FieldError(
                        field, "has " + node.size() + " entries, over the limit of " + budget.maxEntries()));
                return;
            }
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) checkBudgets(node.get(i), path + "[" + i + "]", budget, found);
            } else {
                Iterator<Map.Entry<String, JsonNode>> it = node.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String child = (path.isEmpty() ? "" : path + ".") + named(e.getKey());
                    long keyBytes = utf8Length(e.getKey());
                    if (keyBytes > budget.maxValueBytes()) {
                        found.add(new FieldError(
                                child,
                                "has a name of " + keyBytes + " bytes, over the limit of " + budget.maxValueBytes()
                                        + " bytes"));
                    }
                    checkBudgets(e.getValue(), child, budget, found);
                }
            }
        }
    }

    private static long utf8Length(String s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) bytes += 1;
            else if (c < 0x800) bytes += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else bytes += 3;
        }
        return bytes;
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

    /**
     * Sets a member the request left out, e.g. from a template; a member the request has (even null) is kept. A value
     * set here is the service's own, so it is not held to the request's budgets.
     */
    public void putIfAbsent(String field, JsonNode value) {
        if (!node.has(field)) node.set(field, value);
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
        if (value != null && !value.isEmpty() && !Names.valid(value)) error(field, Names.RULE);
        return value;
    }

    /** An optional name matching [A-Za-z0-9_.-]{1,128}. */
    public String optionalName(String field) {
        String value = optionalString(field);
        if (value != null && !Names.valid(value)) error(field, Names.RULE);
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
            if (!e.getValue().isTextual()) error(field + "." + named(e.getKey()), "must be a string");
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
