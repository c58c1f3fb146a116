package com.integrationshub.domain.mapping;

import static com.integrationshub.domain.DecisionAssert.acceptedEvent;
import static com.integrationshub.domain.DecisionAssert.fieldsOf;
import static com.integrationshub.domain.DecisionAssert.invalid;
import static com.integrationshub.domain.DecisionAssert.messageFor;
import static com.integrationshub.domain.DecisionAssert.rejected;
import static com.integrationshub.domain.Fixtures.T0;
import static com.integrationshub.domain.Fixtures.T1;
import static com.integrationshub.domain.Fixtures.T2;
import static com.integrationshub.domain.Fixtures.config;
import static com.integrationshub.domain.Fixtures.haloSchema;
import static com.integrationshub.domain.Fixtures.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.DeleteMapping;
import com.integrationshub.commands.UpsertMapping;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.Problem;
import com.integrationshub.domain.Decision;
import com.integrationshub.domain.EventIds;
import com.integrationshub.domain.Problems;
import com.integrationshub.events.IntegrationDeleted;
import com.integrationshub.events.IntegrationUpdated;
import com.integrationshub.events.MappingDeleted;
import com.integrationshub.events.MappingUpserted;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MappingDeciderTest {

    private static final String NAME = "HaloPSA";
    private static final String ORG = "org-123";

    /** HaloPSA (base_url required, api_key secret, timeout int) with these defaults. */
    private static IntegrationState integration(Map<String, Object> defaults) {
        return IntegrationState.newBuilder()
                .setId("integration-id")
                .setName(NAME)
                .setAuthScheme(AuthScheme.OAUTH2)
                .setConfigSchema(haloSchema())
                .setDefaults(defaults)
                .setVersion(2L)
                .setCreatedAt(T0)
                .setUpdatedAt(T0)
                .build();
    }

    private static final Optional<IntegrationState> HALO =
            Optional.of(integration(config("base_url", "https://halo.example", "timeout", 30L)));

    private static UpsertMapping.Builder upsert(String commandId, Map<String, Object> overrides) {
        return UpsertMapping.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(T1)
                .setIssuedBy("admin")
                .setIntegrationName(NAME)
                .setOrgId(ORG)
                .setEntityId("tenant-456")
                .setEntityName("Acme Corp")
                .setConfig(overrides)
                .setOauthTokenId(null);
    }

    private static DeleteMapping delete(String commandId, Long expectedVersion) {
        return DeleteMapping.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(T2)
                .setIssuedBy("admin")
                .setExpectedVersion(expectedVersion)
                .setIntegrationName(NAME)
                .setOrgId(ORG)
                .build();
    }

    private static Optional<MappingState> fold(Optional<MappingState> state, Decision decision) {
        assertTrue(decision.accepted(), () -> "setting up: expected acceptance but got " + decision.rejection());
        Optional<MappingState> next = state;
        for (SpecificRecord event : decision.events()) {
            next = MappingDecider.evolve(next, event);
        }
        return next;
    }

    /** The org's mapping as first upserted at T0 by cmd-1 (version 1). */
    private static Optional<MappingState> existing() {
        return fold(
                Optional.empty(),
                MappingDecider.decide(upsert("cmd-1", config("timeout", 60L)).build(), HALO, Optional.empty(), T0));
    }

    @Nested
    class Upsert {

        @Test
        void shouldRejectUpsertForMissingIntegrationWithNotFound() {
            Problem problem = rejected(
                    MappingDecider.decide(upsert("cmd-1", config()).build(), Optional.empty(), Optional.empty(), T0),
                    404,
                    Problems.NOT_FOUND);

            assertTrue(
                    problem.getDetail().contains("'HaloPSA'"),
                    () -> "detail should name the integration but was '" + problem.getDetail() + "'");
        }

        @Test
        void shouldCreateAMappingOfADeletedOneAboveItsLastVersionAndCreatedNow() {
            MappingUpserted event = acceptedEvent(
                    MappingDecider.decide(
                            upsert("cmd-9", config("timeout", 60L)).build(), HALO, Optional.empty(), 4, T0),
                    MappingUpserted.class);
            assertEquals(5L, event.getVersion(), "above the deleted mapping's last version 4");
            assertEquals(T0, event.getCreatedAt(), "a new incarnation is created now");
        }

        @Test
        void shouldCreateNewMappingAtVersionOneCreatedNow() {
            MappingUpserted event = acceptedEvent(
                    MappingDecider.decide(
                            upsert("cmd-1", config("timeout", 60L)).build(), HALO, Optional.empty(), T0),
                    MappingUpserted.class);

            assertEquals(1L, event.getVersion(), "version of a new mapping");
            assertEquals(T0, event.getCreatedAt(), "created_at of a new mapping");
            assertEquals(T0, event.getOccurredAt(), "occurred_at");
            assertEquals(EventIds.event("cmd-1", 0), event.getEventId(), "event_id");
            assertEquals("integration/HaloPSA/mapping/org-123", event.getAggregateId(), "aggregate_id");
            assertEquals("cmd-1", event.getCausationId(), "causation_id");
        }

        @Test
        void shouldCarryTheMappingIntoTheEvent() {
            MappingUpserted event = acceptedEvent(
                    MappingDecider.decide(
                            upsert("cmd-1", config("timeout", 60L))
                                    .setOauthTokenId("token-1")
                                    .build(),
                            HALO,
                            Optional.empty(),
                            T0),
                    MappingUpserted.class);

            assertEquals(NAME, event.getIntegrationName(), "integration_name");
            assertEquals(ORG, event.getOrgId(), "org_id");
            assertEquals("tenant-456", event.getEntityId(), "entity_id");
            assertEquals("Acme Corp", event.getEntityName(), "entity_name");
            assertEquals(config("timeout", 60L), event.getConfig(), "config holds the overrides only");
            assertEquals("token-1", event.getOauthTokenId(), "oauth_token_id");
        }

        @Test
        void shouldKeepCreatedAtAndIdOnSecondUpsert() {
            Optional<MappingState> first = existing();

            Decision second = MappingDecider.decide(
                    upsert("cmd-2", config("timeout", 90L))
                            .setEntityName("Acme Inc")
                            .build(),
                    HALO,
                    first,
                    T1);
            MappingUpserted event = acceptedEvent(second, MappingUpserted.class);
            MappingState state = fold(first, second).orElseThrow();

            assertEquals(2L, event.getVersion(), "version of the second upsert");
            assertEquals(T0, event.getCreatedAt(), "created_at of the second upsert");
            assertEquals(first.orElseThrow().getId(), state.getId(), "id after the second upsert");
            assertEquals(EventIds.resource("mapping", "cmd-1"), state.getId(), "id derived from the first command");
            assertEquals(T0, state.getCreatedAt(), "created_at after the second upsert");
            assertEquals(T1, state.getUpdatedAt(), "updated_at after the second upsert");
            assertEquals(2L, state.getVersion(), "version after the second upsert");
            assertEquals("Acme Inc", state.getEntityName(), "entity_name after the second upsert");
            assertEquals(config("timeout", 90L), state.getConfig(), "config after the second upsert");
        }

        @Test
        void shouldYieldTheSameEventWhenTheSameCommandIsDecidedTwice() {
            UpsertMapping cmd = upsert("cmd-1", config("timeout", 60L)).build();

            Decision first = MappingDecider.decide(cmd, HALO, Optional.empty(), T0);

            assertEquals(first, MappingDecider.decide(cmd, HALO, Optional.empty(), T0), "deciding it twice");
            assertNotEquals(
                    first.events(),
                    MappingDecider.decide(
                                    upsert("cmd-other", config("timeout", 60L)).build(), HALO, Optional.empty(), T0)
                            .events(),
                    "another command yields another event id");
        }

        @Test
        void shouldRejectOverrideOfUnknownKey() {
            Problem problem = invalid(MappingDecider.decide(
                    upsert("cmd-1", config("custom_field", "value")).build(), HALO, Optional.empty(), T0));

            assertEquals(List.of("config.custom_field"), fieldsOf(problem), "the unknown key");
            assertTrue(
                    messageFor(problem, "config.custom_field").startsWith("unknown key"),
                    () -> "message should say unknown key but was " + problem.getErrors());
        }

        @Test
        void shouldRejectOverrideOfWrongType() {
            Problem problem = invalid(MappingDecider.decide(
                    upsert("cmd-1", config("timeout", "60", "api_key", "clear")).build(), HALO, Optional.empty(), T0));

            assertEquals(
                    List.of("config.timeout", "config.api_key"), fieldsOf(problem), "both wrongly typed overrides");
            assertTrue(
                    messageFor(problem, "config.api_key").contains("must be of type secret"),
                    () -> "message should name the type but was " + problem.getErrors());
        }

        @Test
        void shouldRejectRequiredKeyMissingAfterMergeWithDefaults() {
            Optional<IntegrationState> noBaseUrl = Optional.of(integration(config("timeout", 30L)));

            Problem problem = invalid(MappingDecider.decide(
                    upsert("cmd-1", config("timeout", 60L)).build(), noBaseUrl, Optional.empty(), T0));

            assertEquals(List.of("config.base_url"), fieldsOf(problem), "the required key");
            assertTrue(
                    messageFor(problem, "config.base_url").startsWith("required"),
                    () -> "message should say required but was " + problem.getErrors());
        }

        @Test
        void shouldAcceptRequiredKeySatisfiedByDefaults() {
            acceptedEvent(
                    MappingDecider.decide(upsert("cmd-1", config()).build(), HALO, Optional.empty(), T0),
                    MappingUpserted.class);
        }

        @Test
        void shouldAcceptRequiredKeySatisfiedByOverrides() {
            Optional<IntegrationState> noDefaults = Optional.of(integration(config()));

            acceptedEvent(
                    MappingDecider.decide(
                            upsert("cmd-1", config("base_url", "https://org.example", "api_key", secret("org-key")))
                                    .build(),
                            noDefaults,
                            Optional.empty(),
                            T0),
                    MappingUpserted.class);
        }

        @Test
        void shouldRejectStaleIfMatch() {
            Problem problem = rejected(
                    MappingDecider.decide(
                            upsert("cmd-2", config()).setExpectedVersion(3L).build(), HALO, existing(), T1),
                    412,
                    Problems.STALE_VERSION);

            assertTrue(
                    problem.getDetail().contains("expected version 3")
                            && problem.getDetail().contains("current version is 1"),
                    () -> "detail should give both versions but was '" + problem.getDetail() + "'");
        }

        @Test
        void shouldRejectIfMatchOnMappingThatDoesNotExist() {
            Problem problem = rejected(
                    MappingDecider.decide(
                            upsert("cmd-1", config()).setExpectedVersion(1L).build(), HALO, Optional.empty(), T0),
                    412,
                    Problems.STALE_VERSION);

            assertTrue(
                    problem.getDetail().contains("does not exist"),
                    () -> "detail should say the mapping does not exist but was '" + problem.getDetail() + "'");
        }

        @Test
        void shouldAcceptMatchingIfMatch() {
            MappingUpserted event = acceptedEvent(
                    MappingDecider.decide(
                            upsert("cmd-2", config()).setExpectedVersion(1L).build(), HALO, existing(), T1),
                    MappingUpserted.class);

            assertEquals(2L, event.getVersion(), "version after a matching If-Match");
        }

        @Test
        void shouldCompareIfMatchByValueBeyondSmallNumbers() {
            Optional<MappingState> at1000 =
                    Optional.of(MappingState.newBuilder(existing().orElseThrow())
                            .setVersion(1000L)
                            .build());

            MappingUpserted event = acceptedEvent(
                    MappingDecider.decide(
                            upsert("cmd-2", config())
                                    .setExpectedVersion(Long.valueOf(1000L))
                                    .build(),
                            HALO,
                            at1000,
                            T1),
                    MappingUpserted.class);

            assertEquals(1001L, event.getVersion(), "version after a matching If-Match of 1000");
        }

        @Test
        void shouldStartOverAtVersionOneAfterTheMappingWasDeleted() {
            Optional<MappingState> first = existing();
            Optional<MappingState> deleted = fold(first, MappingDecider.decide(delete("cmd-2", null), HALO, first, T1));

            Decision again = MappingDecider.decide(upsert("cmd-3", config()).build(), HALO, deleted, T2);
            MappingUpserted event = acceptedEvent(again, MappingUpserted.class);

            assertEquals(1L, event.getVersion(), "version of the re-created mapping");
            assertEquals(T2, event.getCreatedAt(), "created_at of the re-created mapping");
            assertEquals(
                    EventIds.resource("mapping", "cmd-3"),
                    fold(deleted, again).orElseThrow().getId(),
                    "id of the re-created mapping");
        }
    }

    @Nested
    class Delete {

        @Test
        void shouldRejectDeleteOfMissingMappingWithNotFound() {
            Problem problem = rejected(
                    MappingDecider.decide(delete("cmd-9", null), HALO, Optional.empty(), T2), 404, Problems.NOT_FOUND);

            assertTrue(
                    problem.getDetail().contains("HaloPSA/org-123"),
                    () -> "detail should name the mapping but was '" + problem.getDetail() + "'");
        }

        @Test
        void shouldRejectDeleteForMissingIntegrationWithNotFound() {
            rejected(
                    MappingDecider.decide(delete("cmd-9", null), Optional.empty(), existing(), T2),
                    404,
                    Problems.NOT_FOUND);
        }

        @Test
        void shouldRejectStaleIfMatch() {
            rejected(MappingDecider.decide(delete("cmd-9", 4L), HALO, existing(), T2), 412, Problems.STALE_VERSION);
        }

        @Test
        void shouldDeleteMappingAtTheNextVersion() {
            MappingDeleted event = acceptedEvent(
                    MappingDecider.decide(delete("cmd-9", 1L), HALO, existing(), T2), MappingDeleted.class);

            assertEquals(2L, event.getVersion(), "version");
            assertEquals(EventIds.event("cmd-9", 0), event.getEventId(), "event_id");
            assertEquals("integration/HaloPSA/mapping/org-123", event.getAggregateId(), "aggregate_id");
            assertEquals(T2, event.getOccurredAt(), "occurred_at");
            assertEquals("cmd-9", event.getCausationId(), "causation_id");
            assertEquals(NAME, event.getIntegrationName(), "integration_name");
            assertEquals(ORG, event.getOrgId(), "org_id");
        }
    }

    @Nested
    class Evolve {

        @Test
        void shouldBeEmptyAfterMappingDeleted() {
            Optional<MappingState> first = existing();

            assertEquals(
                    Optional.empty(),
                    fold(first, MappingDecider.decide(delete("cmd-9", null), HALO, first, T2)),
                    "mapping after MappingDeleted");
        }

        @Test
        void shouldBeEmptyAfterIntegrationDeleted() {
            IntegrationDeleted deleted = IntegrationDeleted.newBuilder()
                    .setEventId("e-1")
                    .setAggregateId("integration/HaloPSA")
                    .setVersion(3L)
                    .setOccurredAt(T2)
                    .setCausationId("cmd-9")
                    .setName(NAME)
                    .build();

            assertEquals(
                    Optional.empty(),
                    MappingDecider.evolve(existing(), deleted),
                    "mapping after its integration was deleted");
        }

        @Test
        void shouldIgnoreOtherEvents() {
            Optional<MappingState> state = existing();
            IntegrationUpdated other = IntegrationUpdated.newBuilder()
                    .setEventId("e-1")
                    .setAggregateId("integration/HaloPSA")
                    .setVersion(3L)
                    .setOccurredAt(Instant.EPOCH)
                    .setCausationId("cmd-8")
                    .setName(NAME)
                    .setAuthScheme(AuthScheme.OAUTH2)
                    .setConfigSchema(haloSchema())
                    .build();

            assertEquals(state, MappingDecider.evolve(state, other), "mapping after an IntegrationUpdated");
        }

        @Test
        void shouldFoldFirstUpsertIntoNewMapping() {
            MappingState state = existing().orElseThrow();

            assertEquals(1L, state.getVersion(), "version");
            assertEquals(T0, state.getCreatedAt(), "created_at");
            assertEquals(T0, state.getUpdatedAt(), "updated_at");
            assertEquals(ORG, state.getOrgId(), "org_id");
            assertEquals("tenant-456", state.getEntityId(), "entity_id");
            assertEquals(config("timeout", 60L), state.getConfig(), "config");
        }
    }
}
