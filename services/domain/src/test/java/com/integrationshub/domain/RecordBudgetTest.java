package com.integrationshub.domain;

import static com.integrationshub.domain.DecisionAssert.rejected;
import static com.integrationshub.domain.Fixtures.T0;
import static com.integrationshub.domain.Fixtures.T1;
import static com.integrationshub.domain.Fixtures.T2;
import static com.integrationshub.domain.Fixtures.optional;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.CreateIntegration;
import com.integrationshub.commands.SetCredentials;
import com.integrationshub.commands.SetIntegrationDefaults;
import com.integrationshub.commands.UpdateIntegration;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.ConfigFieldType;
import com.integrationshub.common.FieldError;
import com.integrationshub.common.Problem;
import com.integrationshub.domain.credentials.CredentialsDecider;
import com.integrationshub.domain.integration.IntegrationDecider;
import com.integrationshub.events.IntegrationDefaultsSet;
import com.integrationshub.state.IntegrationState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class RecordBudgetTest {

    private static final int KB = 1000;
    private static final String NAME = "Big";

    private final RecordBudget budget = new RecordBudget(RecordBudget.DEFAULT_MAX_RECORD_BYTES);
    private final IntegrationDecider decider = new IntegrationDecider(100);

    @Test
    void shouldRefuseASecondWriteOf500KbThatWouldStoreAnIntegrationOver768KiB() {
        IntegrationState described = integrationWithDescription("d".repeat(500 * KB));
        Decision defaults = decider.decide(
                setDefaults(Map.of("blob", "b".repeat(500 * KB))), Optional.of(described), List.of(), T2);
        assertTrue(defaults.accepted(), "the decider alone accepts the defaults: " + defaults.rejection());

        Decision admitted = budget.admit(defaults, event -> List.of(evolve(described, event)));

        Problem problem = rejected(admitted, 413, Problems.TOO_LARGE);
        assertTrue(
                problem.getDetail().contains("IntegrationState"),
                "expected the detail to name the state, got " + problem.getDetail());
        assertTrue(
                problem.getDetail().contains(Integer.toString(RecordBudget.DEFAULT_MAX_RECORD_BYTES)),
                "expected the detail to give the limit, got " + problem.getDetail());
    }

    @Test
    void shouldAdmitAWriteWhoseEventAndStateAreWithinTheBudget() {
        IntegrationState described = integrationWithDescription("d".repeat(200 * KB));
        Decision defaults = decider.decide(
                setDefaults(Map.of("blob", "b".repeat(500 * KB))), Optional.of(described), List.of(), T2);

        Decision admitted = budget.admit(defaults, event -> List.of(evolve(described, event)));

        assertSame(defaults, admitted, "expected the decision unchanged");
        assertTrue(admitted.events().get(0) instanceof IntegrationDefaultsSet);
    }

    @Test
    void shouldRefuseAnEventOverTheBudgetWhateverTheState() {
        Decision credentials = CredentialsDecider.decide(
                SetCredentials.newBuilder()
                        .setCommandId("cmd-big-key")
                        .setIssuedAt(T0)
                        .setIssuedBy("org-a")
                        .setConnectionId("c-1")
                        .setIntegrationName("Keys")
                        .setOrgId("org-a")
                        .setAuthScheme(AuthScheme.API_KEY)
                        .setValues(Map.of("api_key", Fixtures.secret("k".repeat(1_048_320))))
                        .build(),
                Optional.of(apiKeyIntegration()),
                Optional.empty(),
                T0);
        assertTrue(credentials.accepted(), "the decider alone accepts the key: " + credentials.rejection());

        Decision admitted = budget.admit(credentials, event -> List.of());

        Problem problem = rejected(admitted, 413, Problems.TOO_LARGE);
        assertTrue(
                problem.getDetail().contains("CredentialsSet"),
                "expected the detail to name the event, got " + problem.getDetail());
    }

    @Test
    void shouldCutTheTextsOfARejectionThatIsItselfOverTheBudget() {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < 100; i++) errors.add(new FieldError("config." + "k".repeat(10 * KB) + i, "unknown key"));
        Decision rejection = Decision.reject(Problems.invalid("bad config", errors));

        Decision bounded = budget.admit(rejection, event -> List.of());

        Problem problem = rejected(bounded, 422, Problems.INVALID);
        assertEquals(100, problem.getErrors().size(), "expected every listed error kept");
        assertTrue(
                RecordBudget.encodedSize(problem) < 64 * KB,
                "expected a small problem, got " + RecordBudget.encodedSize(problem) + " bytes");
    }

    @Test
    void shouldMeasureTheAvroEncodingOfARecord() {
        FieldError error = new FieldError("f", "m");

        assertEquals(4, RecordBudget.encodedSize(error), "two strings of one byte, each with a one-byte length");
    }

    private IntegrationState integrationWithDescription(String description) {
        CreateIntegration create = CreateIntegration.newBuilder()
                .setCommandId("cmd-create")
                .setIssuedAt(T0)
                .setIssuedBy("admin")
                .setName(NAME)
                .setDescription("small")
                .setAuthScheme(AuthScheme.NO_AUTH)
                .setConfigSchema(List.of(optional("blob", ConfigFieldType.STRING)))
                .build();
        IntegrationState created = fold(null, decider.decide(create, Optional.empty(), T0));
        UpdateIntegration describe = UpdateIntegration.newBuilder()
                .setCommandId("cmd-describe")
                .setIssuedAt(T1)
                .setIssuedBy("admin")
                .setName(NAME)
                .setChangedFields(List.of("description"))
                .setDescription(description)
                .build();
        return fold(created, decider.decide(describe, Optional.of(created), List.of(), T1));
    }

    private static IntegrationState apiKeyIntegration() {
        return IntegrationState.newBuilder()
                .setId("i-1")
                .setName("Keys")
                .setAuthScheme(AuthScheme.API_KEY)
                .setConfigSchema(List.of())
                .setDefaults(Map.of())
                .setCredentialHeaders(Map.of())
                .setVersion(1)
                .setCreatedAt(T0)
                .setUpdatedAt(T0)
                .build();
    }

    private static SetIntegrationDefaults setDefaults(Map<String, Object> config) {
        return SetIntegrationDefaults.newBuilder()
                .setCommandId("cmd-defaults")
                .setIssuedAt(T2)
                .setIssuedBy("admin")
                .setName(NAME)
                .setConfig(config)
                .build();
    }

    private static IntegrationState fold(IntegrationState state, Decision decision) {
        assertTrue(decision.accepted(), () -> "setting up: expected acceptance but got " + decision.rejection());
        IntegrationState next = state;
        for (SpecificRecord event : decision.events()) next = evolve(next, event);
        return next;
    }

    private static IntegrationState evolve(IntegrationState state, SpecificRecord event) {
        return IntegrationDecider.evolve(Optional.ofNullable(state), event).orElseThrow();
    }
}
