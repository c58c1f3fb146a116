package com.integrationshub.query.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.FieldError;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import java.util.List;
import java.util.Map;

/**
 * Renders problems as application/problem+json (RFC 9457). Request handling throws {@link ProblemException}s;
 * {@link ProblemHandlers} turns them (and every other failure) into these responses.
 */
public final class ProblemResponses {

    /** Where the problem types live: each type is this base plus its suffix. */
    public static final String TYPE_BASE = "https://integrations-hub.dev/problems/";

    public static final MediaType PROBLEM_JSON = MediaType.of("application/problem+json");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemResponses() {}

    /** The response for a problem. */
    public static MutableHttpResponse<String> of(ProblemException p) {
        return render(p.status(), p.type(), p.title(), p.getMessage(), p.errors(), p.members());
    }

    /** A problem with no field errors. */
    public static MutableHttpResponse<String> of(int status, String type, String title, String detail) {
        return render(status, type, title, detail, List.of(), Map.of());
    }

    private static MutableHttpResponse<String> render(
            int status,
            String type,
            String title,
            String detail,
            List<FieldError> errors,
            Map<String, Object> members) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", TYPE_BASE + type);
        body.put("title", title);
        body.put("status", status);
        if (detail != null) body.put("detail", detail);
        if (!errors.isEmpty()) {
            ArrayNode list = body.putArray("errors");
            errors.forEach(e -> list.addObject().put("field", e.getField()).put("message", e.getMessage()));
        }
        members.forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
        return HttpResponse.<String>status(HttpStatus.valueOf(status))
                .contentType(PROBLEM_JSON)
                .body(body.toString());
    }
}
