package com.integrationshub.query.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.domain.IdempotencyKeys;
import com.integrationshub.domain.Names;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.security.Caller;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import java.io.IOException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** What every write request carries besides its body: who sends it, its command id, its If-Match. */
public final class WriteRequests {

    /** A client may name its command so a retry after a timeout is not applied twice. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private static final long UNMATCHABLE = -1;

    private WriteRequests() {}

    /**
     * The command id: without Idempotency-Key a new one; with it, an id scoped to the caller (subject and org), the
     * kind of command and the resource, carrying the request's fingerprint (If-Match and the canonical body), so the
     * command processor answers a retry with its first outcome and a different request under the key with 422
     * ({@link IdempotencyKeys}).
     */
    public static String commandId(HttpRequest<?> request, Class<?> kind, String resource, String body) {
        return request.getHeaders()
                .get(IDEMPOTENCY_KEY, String.class)
                .map(key -> {
                    if (!Names.valid(key)) throw ProblemException.invalid(IDEMPOTENCY_KEY, Names.RULE);
                    Optional<Caller> caller = request.getAttribute(Caller.ATTRIBUTE, Caller.class);
                    String fingerprint = IdempotencyKeys.fingerprint(
                            request.getHeaders().get(HttpHeaders.IF_MATCH), canonical(body));
                    return IdempotencyKeys.commandId(
                            caller.map(Caller::subject).orElse(null),
                            caller.flatMap(Caller::orgId).orElse(null),
                            kind.getSimpleName(),
                            resource,
                            key,
                            fingerprint);
                })
                .orElseGet(() -> UUID.randomUUID().toString());
    }

    /** The body with object members sorted, so a retry that orders its JSON differently is the same request. */
    static String canonical(String body) {
        if (body == null || body.isBlank()) return "";
        try {
            return sorted(JsonBody.mapper().readTree(body)).toString();
        } catch (IOException e) {
            return body; // the controller has refused a body it cannot parse before asking for an id
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> members = new TreeMap<>();
            node.fields().forEachRemaining(e -> members.put(e.getKey(), e.getValue()));
            ObjectNode out = JsonBody.mapper().createObjectNode();
            members.forEach((k, v) -> out.set(k, sorted(v)));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonBody.mapper().createArrayNode();
            node.forEach(item -> out.add(sorted(item)));
            return out;
        }
        return node;
    }

    /** The JWT subject of the caller. */
    public static String issuedBy(HttpRequest<?> request) {
        return request.getAttribute(Caller.ATTRIBUTE, Caller.class)
                .map(Caller::subject)
                .orElse("unknown");
    }

    /** The version If-Match names, null without If-Match; a tag that is no version never matches (412). */
    public static Long expectedVersion(HttpRequest<?> request) {
        return request.getHeaders()
                .get(HttpHeaders.IF_MATCH, String.class)
                .map(String::trim)
                .filter(tag -> !tag.equals("*"))
                .map(WriteRequests::version)
                .orElse(null);
    }

    private static long version(String tag) {
        String t = tag.startsWith("W/") ? tag.substring(2) : tag;
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) t = t.substring(1, t.length() - 1);
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            return UNMATCHABLE;
        }
    }

    /** Checks a path name; a bad one is a 422 naming the path parameter. */
    public static String name(String parameter, String value) {
        if (!Names.valid(value)) throw ProblemException.invalid(parameter, Names.RULE);
        return value;
    }
}
