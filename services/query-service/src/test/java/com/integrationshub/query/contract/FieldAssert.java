package com.integrationshub.query.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.integrationshub.testkit.Http;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Assertions on the members of API.md's resources: present, of the documented JSON type. */
final class FieldAssert {

    /** Reads numbers as written (1e400 stays 1E+400), so values compare exactly. */
    static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private FieldAssert() {}

    /** The body read with exact numbers. */
    static JsonNode json(Http.Reply reply) {
        try {
            return EXACT.readTree(reply.body());
        } catch (IOException e) {
            throw new AssertionError("expected a JSON body, got: " + reply, e);
        }
    }

    /** Parses a JSON literal with exact numbers. */
    static JsonNode parse(String json) {
        try {
            return EXACT.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /** Asserts a 2xx JSON answer of that status with `ETag: "<version>"` matching the body's version. */
    static JsonNode assertResource(Http.Reply reply, int status) {
        assertEquals(status, reply.status(), () -> "expected status " + status + ", got: " + reply);
        assertTrue(
                reply.contentType().startsWith("application/json"),
                () -> "expected Content-Type application/json, got '" + reply.contentType() + "'");
        JsonNode body = json(reply);
        assertTrue(body.path("version").isIntegralNumber(), () -> "expected a numeric version, got: " + reply.body());
        assertEquals(
                "\"" + body.get("version").asLong() + "\"",
                reply.etag(),
                () -> "expected ETag \"<version>\" for version " + body.get("version") + ", got " + reply.etag());
        return body;
    }

    static void assertText(JsonNode node, String field) {
        assertTrue(node.has(field), () -> "expected member '" + field + "' in " + node);
        assertTrue(
                node.get(field).isTextual(), () -> "expected '" + field + "' to be a string, got " + node.get(field));
    }

    static void assertTextOrNull(JsonNode node, String field) {
        assertTrue(node.has(field), () -> "expected member '" + field + "' (string or null) in " + node);
        assertTrue(
                node.get(field).isTextual() || node.get(field).isNull(),
                () -> "expected '" + field + "' to be a string or null, got " + node.get(field));
    }

    static void assertNull(JsonNode node, String field) {
        assertTrue(node.has(field), () -> "expected member '" + field + "' (null) in " + node);
        assertTrue(node.get(field).isNull(), () -> "expected '" + field + "' to be null, got " + node.get(field));
    }

    static void assertObject(JsonNode node, String field) {
        assertTrue(
                node.has(field) && node.get(field).isObject(),
                () -> "expected '" + field + "' to be an object, got " + node.get(field) + " in " + node);
    }

    static void assertArray(JsonNode node, String field) {
        assertTrue(
                node.has(field) && node.get(field).isArray(),
                () -> "expected '" + field + "' to be an array, got " + node.get(field) + " in " + node);
    }

    static void assertInteger(JsonNode node, String field) {
        assertTrue(
                node.has(field) && node.get(field).isIntegralNumber(),
                () -> "expected '" + field + "' to be an integer, got " + node.get(field) + " in " + node);
    }

    /** Asserts an ISO-8601 UTC timestamp string and returns it. */
    static Instant assertUtcTime(JsonNode node, String field) {
        assertText(node, field);
        String text = node.get(field).asText();
        assertTrue(text.endsWith("Z"), () -> "expected '" + field + "' in UTC (ending in Z), got " + text);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return fail("expected '" + field + "' to be an ISO-8601 instant, got " + text);
        }
    }

    /** Asserts the `Integration` resource of API.md: every documented member with its type. */
    static void assertIntegrationShape(JsonNode integration) {
        assertText(integration, "id");
        assertText(integration, "name");
        assertTextOrNull(integration, "description");
        assertText(integration, "auth_scheme");
        assertTextOrNull(integration, "entity_id_name");
        assertArray(integration, "config_schema");
        for (JsonNode field : integration.get("config_schema")) {
            assertText(field, "key");
            assertText(field, "type");
            assertTrue(
                    field.path("required").isBoolean(), () -> "expected config_schema[].required boolean in " + field);
        }
        assertTextOrNull(integration, "oauth_connection");
        assertObject(integration, "credential_headers");
        assertObject(integration, "defaults");
        assertInteger(integration, "version");
        assertUtcTime(integration, "created_at");
        assertUtcTime(integration, "updated_at");
    }

    /** Asserts the `IntegrationMappingResponse` of API.md. */
    static void assertMappingShape(JsonNode mapping) {
        assertText(mapping, "id");
        assertText(mapping, "integration_id");
        assertText(mapping, "organization_id");
        assertText(mapping, "entity_id");
        assertTextOrNull(mapping, "entity_name");
        assertTextOrNull(mapping, "oauth_token_id");
        assertObject(mapping, "config");
        assertInteger(mapping, "version");
        assertUtcTime(mapping, "created_at");
        assertUtcTime(mapping, "updated_at");
    }

    /** Asserts the `IntegrationData` of API.md (oauth stays null until the OAuth issue). */
    static void assertIntegrationDataShape(JsonNode data) {
        assertText(data, "integration_id");
        assertText(data, "name");
        assertTextOrNull(data, "entity_id");
        assertTextOrNull(data, "entity_name");
        assertObject(data, "config");
        assertTrue(data.has("oauth"), () -> "expected member 'oauth' in " + data);
        assertInteger(data, "version");
    }
}
