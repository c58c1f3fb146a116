package com.integrationshub.query.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.testkit.Http;
import java.util.ArrayList;
import java.util.List;

/** Assertions on RFC 9457 problem answers; each failure says what was expected and what came instead. */
final class ProblemAssert {

    static final String TYPE_BASE = "https://integrations-hub.dev/problems/";

    private ProblemAssert() {}

    /** Asserts the answer is the problem of that status and type suffix; returns its body. */
    static JsonNode assertProblem(Http.Reply reply, int status, String typeSuffix) {
        assertEquals(
                status, reply.status(), () -> "expected status " + status + " (" + typeSuffix + "), got: " + reply);
        JsonNode body = assertProblemJson(reply);
        assertEquals(
                TYPE_BASE + typeSuffix,
                body.path("type").asText(),
                () -> "expected problem type " + TYPE_BASE + typeSuffix + ", got: " + reply.body());
        return body;
    }

    /** Asserts the answer is some application/problem+json whose members agree with the HTTP status. */
    static JsonNode assertProblemJson(Http.Reply reply) {
        assertTrue(
                reply.contentType().startsWith("application/problem+json"),
                () -> "expected Content-Type application/problem+json, got '" + reply.contentType() + "': " + reply);
        JsonNode body = reply.json();
        assertTrue(
                body.path("type").asText().startsWith(TYPE_BASE),
                () -> "expected a problem type under " + TYPE_BASE + ", got: " + reply.body());
        assertEquals(
                reply.status(),
                body.path("status").asInt(),
                () -> "expected the problem's status member to be the HTTP status " + reply.status() + ", got: "
                        + reply.body());
        assertTrue(
                body.path("title").isTextual() && !body.path("title").asText().isBlank(),
                () -> "expected a problem title, got: " + reply.body());
        return body;
    }

    /** Asserts a 422 validation-failed problem whose `errors` name each of the fields (and maybe others). */
    static JsonNode assertInvalidFields(Http.Reply reply, String... fields) {
        JsonNode body = assertProblem(reply, 422, "validation-failed");
        List<String> named = errorFields(body);
        for (String field : fields) {
            assertTrue(
                    named.contains(field),
                    () -> "expected errors to name field '" + field + "', got fields " + named + " in: "
                            + reply.body());
        }
        for (JsonNode error : body.path("errors")) {
            assertTrue(
                    error.path("message").isTextual()
                            && !error.path("message").asText().isBlank(),
                    () -> "expected every error to carry a message, got: " + reply.body());
        }
        return body;
    }

    /** The `field` of each entry of the problem's `errors`. */
    static List<String> errorFields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(e -> fields.add(e.path("field").asText()));
        return fields;
    }
}
