package com.integrationshub.query.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.integrationshub.common.FieldError;
import com.integrationshub.common.Problem;
import com.integrationshub.query.commands.DecisionTimeoutException;
import com.integrationshub.query.store.StoreNotReadyException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The one error path's renderer, without a server: what each kind of failure answers. */
class ProblemHandlersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProblemHandlers handlers = handlers(Duration.ofSeconds(7));

    @Test
    void shouldAnswerARejectedCommandWithItsProblemAsDecided() throws Exception {
        Problem rejected = Problem.newBuilder()
                .setType("stale-version")
                .setTitle("Precondition Failed")
                .setStatus(412)
                .setDetail("expected version 3, found 4")
                .setErrors(List.of(new FieldError("If-Match", "is stale")))
                .build();
        HttpResponse<?> answer = handlers.failure(null, new CompletionException(ProblemException.rejected(rejected)));
        JsonNode body = body(answer);
        assertEquals(412, answer.getStatus().getCode());
        assertEquals(
                "application/problem+json",
                answer.getContentType().orElseThrow().getName());
        assertEquals(
                ProblemResponses.TYPE_BASE + "stale-version", body.path("type").asText());
        assertEquals("expected version 3, found 4", body.path("detail").asText());
        assertEquals("If-Match", body.path("errors").path(0).path("field").asText());
        assertNull(answer.getHeaders().get(HttpHeaders.RETRY_AFTER), "only a 503 says when to retry");
    }

    @Test
    void shouldAnswerAViewNotReadyAndALateDecisionWith503AndTheConfiguredRetryAfter() throws Exception {
        HttpResponse<?> notReady = handlers.failure(null, new StoreNotReadyException("restoring"));
        assertEquals(503, notReady.getStatus().getCode());
        assertEquals("7", notReady.getHeaders().get(HttpHeaders.RETRY_AFTER));
        assertEquals(
                ProblemResponses.TYPE_BASE + "unavailable",
                body(notReady).path("type").asText());

        HttpResponse<?> late = handlers.failure(null, new DecisionTimeoutException("cmd-1", null));
        assertEquals(503, late.getStatus().getCode());
        assertEquals("7", late.getHeaders().get(HttpHeaders.RETRY_AFTER));
        assertEquals(
                ProblemResponses.TYPE_BASE + "decision-timeout",
                body(late).path("type").asText());
    }

    @Test
    void shouldSayRetryAfterOneSecondAtLeast() {
        HttpResponse<?> answer =
                handlers(Duration.ofMillis(200)).failure(null, new StoreNotReadyException("restoring"));
        assertEquals("1", answer.getHeaders().get(HttpHeaders.RETRY_AFTER));
    }

    @Test
    void shouldAnswerAnUnexpectedFailureWith500WithoutItsInternals() throws Exception {
        HttpResponse<?> answer = handlers.failure(null, new IllegalStateException("secret-ish internals"));
        assertEquals(500, answer.getStatus().getCode());
        assertFalse(
                answer.body().toString().contains("secret-ish"), answer.body().toString());
        assertEquals(
                ProblemResponses.TYPE_BASE + "internal",
                body(answer).path("type").asText());
    }

    private static ProblemHandlers handlers(Duration retryAfter) {
        RetryAdvice advice = new RetryAdvice();
        advice.setRetryAfter(retryAfter);
        return new ProblemHandlers(advice);
    }

    private static JsonNode body(HttpResponse<?> response) throws Exception {
        return JSON.readTree(response.body().toString());
    }
}
