package com.integrationshub.query.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.FieldError;
import com.integrationshub.common.Problem;
import com.integrationshub.query.commands.DecisionTimeoutException;
import com.integrationshub.query.streams.StoreNotReadyException;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renders problems as application/problem+json (RFC 9457). */
public final class ProblemResponses {

    /** Where the problem types live: each type is this base plus its suffix. */
    public static final String TYPE_BASE = "https://integrations-hub.dev/problems/";
    public static final MediaType PROBLEM_JSON = MediaType.of("application/problem+json");

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemResponses() {
    }

    /** The response for a problem thrown while handling a request. */
    public static MutableHttpResponse<String> of(ProblemException p) {
        return render(p.status(), p.type(), p.title(), p.getMessage(), p.errors(), p.members());
    }

    /** The response for a command rejected by a decider. */
    public static MutableHttpResponse<String> of(Problem p) {
        return render(p.getStatus(), p.getType(), p.getTitle(), p.getDetail(), p.getErrors(), Map.of());
    }

    /** A problem with no field errors. */
    public static MutableHttpResponse<String> of(int status, String type, String title, String detail) {
        return render(status, type, title, detail, List.of(), Map.of());
    }

    /** The response for whatever failed a request; unexpected failures are a 500 without internals. */
    public static MutableHttpResponse<?> fromFailure(Throwable error, Duration retryAfter) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ProblemException p) return of(p);
        if (cause instanceof com.integrationshub.query.oauth.OAuthFlows.AnsweredException a) return a.response();
        if (cause instanceof StoreNotReadyException n) {
            return of(503, "unavailable", "Service Unavailable", n.getMessage() + "; retry shortly")
                    .header("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        if (cause instanceof DecisionTimeoutException t) {
            LOG.warn(t.getMessage());
            return of(503, "decision-timeout", "Service Unavailable",
                    "the command was sent but no decision arrived in time; retry with the same Idempotency-Key")
                    .header("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        if (cause instanceof io.micronaut.http.exceptions.HttpStatusException h && h.getStatus().getCode() < 500) {
            int status = h.getStatus().getCode();
            String type = switch (status) {
                case 404 -> "not-found";
                case 405 -> "method-not-allowed";
                case 413 -> "payload-too-large";
                case 415 -> "unsupported-media-type";
                default -> "bad-request";
            };
            return of(status, type, h.getStatus().getReason(), h.getMessage());
        }
        LOG.error("request failed", cause);
        return of(500, "internal", "Internal Server Error", "the request failed; see the service log");
    }

    private static MutableHttpResponse<String> render(int status, String type, String title, String detail,
                                                      List<FieldError> errors, Map<String, Object> members) {
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
        return HttpResponse.<String>status(io.micronaut.http.HttpStatus.valueOf(status))
                .contentType(PROBLEM_JSON).body(body.toString());
    }
}
