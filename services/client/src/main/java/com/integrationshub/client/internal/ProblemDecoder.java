package com.integrationshub.client.internal;

import com.integrationshub.client.ConflictException;
import com.integrationshub.client.FieldError;
import com.integrationshub.client.ForbiddenException;
import com.integrationshub.client.HubCommunicationException;
import com.integrationshub.client.IntegrationsHubException;
import com.integrationshub.client.KeyNotFoundException;
import com.integrationshub.client.NeedsReauthException;
import com.integrationshub.client.NotAuthorizedException;
import com.integrationshub.client.NotFoundException;
import com.integrationshub.client.PreconditionFailedException;
import com.integrationshub.client.Problem;
import com.integrationshub.client.ServiceUnavailableException;
import com.integrationshub.client.UnauthorizedException;
import com.integrationshub.client.ValidationException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns what a request failed with into the client's exceptions: an answer of 400 or more into the
 * {@link IntegrationsHubException} for its status (decoding the problem+json body), anything else into
 * {@link HubCommunicationException}.
 */
public final class ProblemDecoder {

    private static final Argument<Map<String, Object>> JSON_OBJECT = Argument.mapOf(String.class, Object.class);
    private static final Set<String> STANDARD_MEMBERS = Set.of("type", "title", "status", "detail", "errors");
    private static final int MAX_DETAIL_CHARS = 500;

    private final JsonMapper json;

    public ProblemDecoder(JsonMapper json) {
        this.json = json;
    }

    /** Returns the exception to throw for a failed request; {@code idempotencyKey} is the write's key, else empty. */
    public RuntimeException decode(Throwable failure, Optional<String> idempotencyKey) {
        Throwable cause = unwrap(failure);
        if (cause instanceof IntegrationsHubException || cause instanceof HubCommunicationException) {
            return (RuntimeException) cause;
        }
        if (cause instanceof HttpClientResponseException answered) {
            if (answered.code() < 400) {
                return new HubCommunicationException(
                        "cannot read the integrations hub's answer (" + answered.code() + "): " + answered.getMessage(),
                        answered);
            }
            return fromResponse(answered.getResponse(), idempotencyKey);
        }
        if (cause instanceof HttpClientException) {
            return new HubCommunicationException("no answer from the integrations hub: " + cause.getMessage(), cause);
        }
        return new HubCommunicationException("the request to the integrations hub failed: " + cause, cause);
    }

    /** Returns the exception for an answer of 400 or more. */
    public IntegrationsHubException fromResponse(HttpResponse<?> response, Optional<String> idempotencyKey) {
        Problem problem = problem(response.code(), response.reason(), body(response));
        return switch (problem.status()) {
            case 401 -> new UnauthorizedException(problem);
            case 403 -> new ForbiddenException(problem);
            case 404 -> new NotFoundException(problem);
            case 409 -> conflict(problem);
            case 412 -> new PreconditionFailedException(problem);
            case 422 -> new ValidationException(problem);
            case 503 ->
                new ServiceUnavailableException(
                        problem,
                        response.getHeaders()
                                .get(HttpHeaders.RETRY_AFTER, String.class)
                                .flatMap(ProblemDecoder::retryAfter),
                        idempotencyKey);
            default -> new IntegrationsHubException(problem);
        };
    }

    /** Returns the exception for a 409: the credentials calls' problem types by name, else a plain conflict. */
    private static ConflictException conflict(Problem problem) {
        if (hasType(problem, NotAuthorizedException.TYPE_NAME)) return new NotAuthorizedException(problem);
        if (hasType(problem, KeyNotFoundException.TYPE_NAME)) return new KeyNotFoundException(problem);
        if (hasType(problem, NeedsReauthException.TYPE_NAME)) return new NeedsReauthException(problem);
        return new ConflictException(problem);
    }

    /** Whether the problem's type URI ends with {@code /name} (or is the bare name). */
    private static boolean hasType(Problem problem, String name) {
        return problem.type().endsWith("/" + name) || problem.type().equals(name);
    }

    /**
     * Returns the problem a body holds; a body that is not a JSON object (e.g. a proxy's HTML page) gives a problem
     * of type {@code about:blank} with the status's reason as title and the start of the body as detail.
     */
    public Problem problem(int status, String reason, String body) {
        Map<String, Object> members = parseObject(body);
        if (members == null) {
            String detail = body == null || body.isBlank() ? null : abbreviate(body.strip());
            return new Problem(status, Problem.ABOUT_BLANK, reason, detail, List.of(), Map.of());
        }
        Map<String, Object> extensions = new LinkedHashMap<>(members);
        extensions.keySet().removeAll(STANDARD_MEMBERS);
        extensions.values().removeIf(v -> v == null);
        return new Problem(
                status,
                text(members.get("type")),
                Optional.ofNullable(text(members.get("title"))).orElse(reason),
                text(members.get("detail")),
                fieldErrors(members.get("errors")),
                extensions);
    }

    /** Returns the wait a {@code Retry-After} value asks for: delay-seconds or an HTTP date. */
    static Optional<Duration> retryAfter(String value) {
        String v = value.strip();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration wait = Duration.between(
                        ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    private Map<String, Object> parseObject(String body) {
        if (body == null || body.isBlank()) return null;
        try {
            return json.readValue(body.getBytes(StandardCharsets.UTF_8), JSON_OBJECT);
        } catch (IOException | RuntimeException notAnObject) {
            return null;
        }
    }

    private static String body(HttpResponse<?> response) {
        try {
            return response.getBody(String.class).orElse(null);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static List<FieldError> fieldErrors(Object errors) {
        if (!(errors instanceof List<?> list)) return List.of();
        List<FieldError> out = new ArrayList<>();
        for (Object item : list) {
            if (item instanceof Map<?, ?> e) out.add(new FieldError(text(e.get("field")), text(e.get("message"))));
        }
        return out;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_DETAIL_CHARS ? text : text.substring(0, MAX_DETAIL_CHARS) + "...";
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
