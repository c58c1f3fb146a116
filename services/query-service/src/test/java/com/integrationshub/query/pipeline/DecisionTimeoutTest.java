package com.integrationshub.query.pipeline;

import static com.integrationshub.query.pipeline.PipelineFixture.historyEntriesOfType;
import static com.integrationshub.query.pipeline.PipelineFixture.integrationBody;
import static com.integrationshub.query.pipeline.PipelineFixture.mappingBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Instance A of a deployment gives up waiting for decisions after 1 ms, instance B waits the default: a write on A
 * answers 503 with Retry-After, and the same request retried on B with the same Idempotency-Key applies once.
 */
class DecisionTimeoutTest {

    private static HubInstance impatient;
    private static HubInstance patient;
    private static Http onImpatient;
    private static Http onPatient;

    @BeforeAll
    static void start() {
        HubInstance.Deployment deployment = HubInstance.Deployment.fresh();
        impatient = HubInstance.start(PipelineFixture.with(deployment, "hub.commands.decision-timeout", "1ms"));
        patient = HubInstance.start(deployment);
        onImpatient = new Http(impatient.url(), TestTokens.admin());
        onPatient = new Http(patient.url(), TestTokens.admin());
        PipelineFixture.awaitSettled(Duration.ofSeconds(60), impatient, patient);
        Await.ready(onImpatient);
        Await.ready(onPatient);
    }

    @AfterAll
    static void stop() {
        if (impatient != null) impatient.close();
        if (patient != null) patient.close();
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenNoDecisionArrivesAndApplyTheRetryOnAnotherInstanceOnce() {
        Map<String, String> key = Map.of("Idempotency-Key", "create-timeout-1");

        Http.Reply timedOut = onImpatient.send("POST", "/v1/integrations", integrationBody("Patience"), key);

        assertTimedOut(timedOut);
        Http.Reply retried = onPatient.send("POST", "/v1/integrations", integrationBody("Patience"), key);
        assertEquals(201, retried.status(), "expected 201 for the retry on the other instance, got " + retried);
        assertEquals("\"1\"", retried.etag(), "expected the created integration at version 1, got " + retried);
        assertEquals(
                1,
                historyEntriesOfType(onPatient, "Patience", "IntegrationCreated", null)
                        .size(),
                "expected one IntegrationCreated for the command sent to both instances");
        assertEquals(
                1,
                onPatient.get("/v1/integrations/Patience/history").json().size(),
                "expected the history of Patience to hold one event");
    }

    @Test
    void shouldApplyAMappingRetriedAfterA503OnAnotherInstanceOnce() {
        assertEquals(
                201,
                onPatient
                        .post("/v1/integrations", integrationBody("PatientMapping"))
                        .status());
        Map<String, String> key = Map.of("Idempotency-Key", "mapping-timeout-1");
        String body = mappingBody("tenant-t", Map.of("timeout", 11));

        Http.Reply timedOut = onImpatient.send("PUT", "/v1/integrations/PatientMapping/mappings/org-t", body, key);

        assertTimedOut(timedOut);
        Http.Reply retried = onPatient.send("PUT", "/v1/integrations/PatientMapping/mappings/org-t", body, key);
        assertEquals(201, retried.status(), "expected 201 for the retry on the other instance, got " + retried);
        assertEquals(11, retried.json().path("config").path("timeout").asInt(), retried.toString());
        assertEquals(
                1,
                historyEntriesOfType(onPatient, "PatientMapping", "MappingUpserted", "org-t")
                        .size(),
                "expected one MappingUpserted for the command sent to both instances");
        Http.Reply again = onPatient.send("PUT", "/v1/integrations/PatientMapping/mappings/org-t", body, key);
        assertEquals(retried.json(), again.json(), "expected a second retry to answer the same mapping");
        assertEquals(
                2,
                onPatient.get("/v1/integrations/PatientMapping/history").json().size(),
                "expected the history to hold the create and one upsert");
    }

    private static void assertTimedOut(Http.Reply reply) {
        assertEquals(503, reply.status(), "expected 503 when no decision arrives within 1ms, got " + reply);
        assertTrue(
                reply.contentType().startsWith("application/problem+json"),
                "expected the 503 as application/problem+json, got " + reply.contentType());
        String retryAfter = reply.header("Retry-After");
        assertNotNull(retryAfter, "expected a Retry-After header on the 503, got headers " + reply.headers());
        assertTrue(retryAfter.matches("[1-9][0-9]*"), "expected Retry-After in whole seconds, got " + retryAfter);
        assertEquals(
                503, reply.json().path("status").asInt(), "expected status 503 in the problem, got " + reply.body());
        assertTrue(
                reply.json().path("type").asText().endsWith("/decision-timeout"),
                "expected a problem type ending /decision-timeout, got "
                        + reply.json().path("type"));
    }
}
