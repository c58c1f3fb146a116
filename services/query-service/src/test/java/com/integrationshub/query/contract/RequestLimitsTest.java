package com.integrationshub.query.contract;

import static com.integrationshub.query.contract.ProblemAssert.assertInvalidFields;
import static com.integrationshub.query.contract.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The size budgets are settings: an instance started with smaller ones answers by them. */
class RequestLimitsTest {

    private static HubInstance hub;
    private static Http admin;

    @BeforeAll
    static void start() {
        hub = HubInstance.start(HubInstance.Deployment.fresh(Map.of(
                "hub.limits.max-body-bytes", 2048, "hub.limits.max-value-bytes", 100, "hub.limits.max-entries", 3)));
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
    }

    @AfterAll
    static void stop() {
        // The budgets are per JVM: the next instance started in this JVM sets its own (the defaults) again.
        if (hub != null) hub.close();
    }

    @Test
    void shouldAnswerByTheConfiguredBudgets() {
        assertInvalidFields(
                admin.post(
                        "/v1/integrations",
                        "{\"name\": \"L\", \"auth_scheme\": \"NO_AUTH\", "
                                + "\"credential_headers\": {\"a\": \"1\", \"b\": \"2\", \"c\": \"3\", \"d\": \"4\"}}"),
                "credential_headers");
        assertInvalidFields(
                admin.post(
                        "/v1/integrations",
                        "{\"name\": \"L\", \"auth_scheme\": \"NO_AUTH\", " + "\"description\": \"" + "d".repeat(101)
                                + "\"}"),
                "description");
        assertProblem(
                admin.post(
                        "/v1/integrations",
                        "{\"name\": \"L\", \"auth_scheme\": \"NO_AUTH\", " + "\"description\": \"" + "d".repeat(2048)
                                + "\"}"),
                413,
                "payload-too-large");
        assertEquals(
                201,
                admin.post(
                                "/v1/integrations",
                                "{\"name\": \"L\", \"auth_scheme\": \"NO_AUTH\", "
                                        + "\"credential_headers\": {\"a\": \"1\", \"b\": \"2\", \"c\": \"3\"}}")
                        .status(),
                "within every budget");
    }
}
