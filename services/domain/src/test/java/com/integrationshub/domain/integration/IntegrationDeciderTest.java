package com.integrationshub.domain.integration;

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
import static com.integrationshub.domain.Fixtures.optional;
import static com.integrationshub.domain.Fixtures.required;
import static com.integrationshub.domain.Fixtures.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.CreateIntegration;
import com.integrationshub.commands.DeleteIntegration;
import com.integrationshub.commands.SetIntegrationDefaults;
import com.integrationshub.commands.UpdateIntegration;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.ConfigField;
import com.integrationshub.common.ConfigFieldType;
import com.integrationshub.common.Problem;
import com.integrationshub.domain.Decision;
import com.integrationshub.domain.EventIds;
import com.integrationshub.domain.Problems;
import com.integrationshub.events.IntegrationCreated;
import com.integrationshub.events.IntegrationDefaultsSet;
import com.integrationshub.events.IntegrationDeleted;
import com.integrationshub.events.IntegrationUpdated;
import com.integrationshub.events.MappingDeleted;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class IntegrationDeciderTest {

    private static final String NAME = "HaloPSA";
    private static final int MAX_LISTED = 5;

    private final IntegrationDecider decider = new IntegrationDecider(MAX_LISTED);

    // --- commands ------------------------------------------------------------------------------------------

    private static CreateIntegration create(String commandId, String name, List<ConfigField> schema) {
        return CreateIntegration.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(T0)
                .setIssuedBy("admin")
                .setName(name)
                .setDescription("HaloPSA ticketing")
                .setAuthScheme(AuthScheme.OAUTH2)
                .setEntityIdName("Tenant ID")
                .setConfigSchema(schema)
                .setOauthConnection("halo-oauth")
                .setCredentialHeaders(Map.of("Authorization", "Bearer {api_key}"))
                .build();
    }

    private static CreateIntegration create(String commandId) {
        return create(commandId, NAME, haloSchema());
    }

    /** An update of HaloPSA listing these changed fields; the command carries no new values unless set. */
    private static UpdateIntegration.Builder update(String commandId, String... changedFields) {
        return UpdateIntegration.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(T1)
                .setIssuedBy("admin")
                .setName(NAME)
                .setChangedFields(Arrays.asList(changedFields));
    }

    private static UpdateIntegration schemaChange(String commandId, List<ConfigField> schema) {
        return update(commandId, "config_schema").setConfigSchema(schema).build();
    }

    private static SetIntegrationDefaults setDefaults(
            String commandId, Long expectedVersion, Map<String, Object> config) {
        return SetIntegrationDefaults.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(T1)
                .setIssuedBy("admin")
                .setExpectedVersion(expectedVersion)
                .setName(NAME)
                .setConfig(config)
                .build();
    }

    private static DeleteIntegration delete(String commandId, Long expectedVersion) {
        return DeleteIntegration.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(T2)
                .setIssuedBy("admin")
                .setExpectedVersion(expectedVersion)
                .setName(NAME)
                .build();
    }

    // --- states ----------------------------------------------------------------------------------------------

    /** HaloPSA as created at T0 (version 1, no defaults). */
    private IntegrationState created(List<ConfigField> schema) {
        Decision decision = decider.decide(create("cmd-create", NAME, schema), Optional.empty(), T0);
        return fold(Optional.empty(), decision).orElseThrow();
    }

    /** HaloPSA with the HaloPSA schema and these defaults (version 2). */
    private IntegrationState withDefaults(Map<String, Object> defaults) {
        IntegrationState state = created(haloSchema());
        Decision decision =
                decider.decide(setDefaults("cmd-defaults", null, defaults), Optional.of(state), List.of(), T1);
        return fold(Optional.of(state), decision).orElseThrow();
    }

    private static Optional<IntegrationState> fold(Optional<IntegrationState> state, Decision decision) {
        assertTrue(decision.accepted(), () -> "setting up: expected acceptance but got " + decision.rejection());
        Optional<IntegrationState> next = state;
        for (SpecificRecord event : decision.events()) {
            next = IntegrationDecider.evolve(next, event);
        }
        return next;
    }

    private static MappingState mapping(String orgId, Map<String, Object> overrides) {
        return MappingState.newBuilder()
                .setId("mapping-" + orgId)
                .setIntegrationName(NAME)
                .setOrgId(orgId)
                .setEntityId("tenant-" + orgId)
                .setConfig(overrides)
                .setVersion(1)
                .setCreatedAt(T0)
                .setUpdatedAt(T0)
                .build();
    }

    private static List<MappingState> mappingsWithOverrides(int count, Map<String, Object> overrides) {
        List<MappingState> mappings = new ArrayList<>();
        for (int i = 1; i <= count; i++) mappings.add(mapping("org-" + i, overrides));
        return mappings;
    }

    @Nested
    class Create {

        @Test
        void shouldCreateAnIntegrationOfADeletedNameAboveTheDeletedOnesLastVersion() {
            IntegrationCreated event =
                    acceptedEvent(decider.decide(create("cmd-9"), Optional.empty(), 7, T0), IntegrationCreated.class);
            assertEquals(8L, event.getVersion(), "an old If-Match (at most 7) cannot match the new incarnation");
        }

        @Test
        void shouldCreateIntegrationAtVersionOneWithCommonFields() {
            Decision decision = decider.decide(create("cmd-1"), Optional.empty(), T0);

            IntegrationCreated event = acceptedEvent(decision, IntegrationCreated.class);
            assertEquals(1L, event.getVersion(), "version of a new integration");
            assertEquals(EventIds.event("cmd-1", 0), event.getEventId(), "event_id derived from the command id");
            assertEquals("integration/HaloPSA", event.getAggregateId(), "aggregate_id");
            assertEquals(T0, event.getOccurredAt(), "occurred_at");
            assertEquals("cmd-1", event.getCausationId(), "causation_id");
            assertEquals(T0, event.getCreatedAt(), "created_at");
        }

        @Test
        void shouldCarryTheDefinitionIntoTheEvent() {
            IntegrationCreated event =
                    acceptedEvent(decider.decide(create("cmd-1"), Optional.empty(), T0), IntegrationCreated.class);

            assertEquals(NAME, event.getName(), "name");
            assertEquals("HaloPSA ticketing", event.getDescription(), "description");
            assertEquals(AuthScheme.OAUTH2, event.getAuthScheme(), "auth_scheme");
            assertEquals("Tenant ID", event.getEntityIdName(), "entity_id_name");
            assertEquals(haloSchema(), event.getConfigSchema(), "config_schema");
            assertEquals("halo-oauth", event.getOauthConnection(), "oauth_connection");
            assertEquals(
                    Map.of("Authorization", "Bearer {api_key}"), event.getCredentialHeaders(), "credential_headers");
        }

        @Test
        void shouldRejectCreateOfExistingNameWithConflict() {
            IntegrationState existing = created(haloSchema());

            Problem problem =
                    rejected(decider.decide(create("cmd-2"), Optional.of(existing), T1), 409, Problems.CONFLICT);

            assertTrue(
                    problem.getDetail().contains("'HaloPSA'"),
                    () -> "detail should name the integration but was '" + problem.getDetail() + "'");
        }

        @Test
        void shouldRejectCreateWithBadOrDuplicateSchemaKeys() {
            List<ConfigField> schema = List.of(
                    optional("base url", ConfigFieldType.STRING),
                    optional("timeout", ConfigFieldType.INT),
                    optional("timeout", ConfigFieldType.STRING));

            Problem problem = invalid(decider.decide(create("cmd-1", NAME, schema), Optional.empty(), T0));

            assertEquals(
                    List.of("config_schema[0].key", "config_schema[2].key"),
                    fieldsOf(problem),
                    "the bad key and the duplicate");
        }

        @Test
        void shouldYieldTheSameEventWhenTheSameCommandIsDecidedTwice() {
            Decision first = decider.decide(create("cmd-1"), Optional.empty(), T0);
            Decision second = decider.decide(create("cmd-1"), Optional.empty(), T0);

            assertEquals(first, second, "deciding the same command twice");
            assertNotEquals(
                    first.events(),
                    decider.decide(create("cmd-other"), Optional.empty(), T0).events(),
                    "another command yields another event id");
        }

        @Test
        void shouldDeriveTheIntegrationIdFromTheCommand() {
            Decision decision = decider.decide(create("cmd-1"), Optional.empty(), T0);

            IntegrationState once = fold(Optional.empty(), decision).orElseThrow();
            IntegrationState again = fold(Optional.empty(), decision).orElseThrow();

            assertEquals(EventIds.resource("integration", "cmd-1"), once.getId(), "id of the created integration");
            assertEquals(once, again, "folding the same event twice");
        }
    }

    @Nested
    class Update {

        @Test
        void shouldRejectUpdateOfMissingIntegrationWithNotFound() {
            Decision decision = decider.decide(
                    update("cmd-2", "description").setDescription("x").build(), Optional.empty(), List.of(), T1);

            Problem problem = rejected(decision, 404, Problems.NOT_FOUND);
            assertTrue(
                    problem.getDetail().contains("'HaloPSA'"),
                    () -> "detail should name the integration but was '" + problem.getDetail() + "'");
        }

        @Test
        void shouldRejectStaleExpectedVersion() {
            IntegrationState state = created(haloSchema());
            UpdateIntegration cmd = update("cmd-2", "description")
                    .setDescription("x")
                    .setExpectedVersion(2L)
                    .build();

            Problem problem =
                    rejected(decider.decide(cmd, Optional.of(state), List.of(), T1), 412, Problems.STALE_VERSION);

            assertTrue(
                    problem.getDetail().contains("expected version 2")
                            && problem.getDetail().contains("current version is 1"),
                    () -> "detail should give both versions but was '" + problem.getDetail() + "'");
        }

        @Test
        void shouldAcceptMatchingExpectedVersion() {
            IntegrationState state = created(haloSchema());
            UpdateIntegration cmd = update("cmd-2", "description")
                    .setDescription("x")
                    .setExpectedVersion(1L)
                    .build();

            IntegrationUpdated event =
                    acceptedEvent(decider.decide(cmd, Optional.of(state), List.of(), T1), IntegrationUpdated.class);

            assertEquals(2L, event.getVersion(), "version after the update");
        }

        @Test
        void shouldCompareExpectedVersionByValueBeyondSmallNumbers() {
            IntegrationState state = IntegrationState.newBuilder(created(haloSchema()))
                    .setVersion(1000L)
                    .build();
            UpdateIntegration cmd = update("cmd-2", "description")
                    .setDescription("x")
                    .setExpectedVersion(Long.valueOf(1000L))
                    .build();

            IntegrationUpdated event =
                    acceptedEvent(decider.decide(cmd, Optional.of(state), List.of(), T1), IntegrationUpdated.class);

            assertEquals(1001L, event.getVersion(), "version after the update");
        }

        @Test
        void shouldCarryTheCommonFields() {
            IntegrationState state = created(haloSchema());

            IntegrationUpdated event = acceptedEvent(
                    decider.decide(
                            update("cmd-2", "description").setDescription("x").build(),
                            Optional.of(state),
                            List.of(),
                            T1),
                    IntegrationUpdated.class);

            assertEquals(EventIds.event("cmd-2", 0), event.getEventId(), "event_id");
            assertEquals("integration/HaloPSA", event.getAggregateId(), "aggregate_id");
            assertEquals(T1, event.getOccurredAt(), "occurred_at");
            assertEquals("cmd-2", event.getCausationId(), "causation_id");
        }

        @Test
        void shouldChangeOnlyTheListedFields() {
            IntegrationState state = created(haloSchema());
            UpdateIntegration cmd = update("cmd-2", "description")
                    .setDescription("HaloPSA v2")
                    .setEntityIdName("Other")
                    .setOauthConnection("other-oauth")
                    .setCredentialHeaders(Map.of("X-Other", "1"))
                    .setConfigSchema(List.of(optional("other", ConfigFieldType.BOOL)))
                    .build();

            IntegrationUpdated event =
                    acceptedEvent(decider.decide(cmd, Optional.of(state), List.of(), T1), IntegrationUpdated.class);

            assertEquals("HaloPSA v2", event.getDescription(), "the listed description");
            assertEquals("Tenant ID", event.getEntityIdName(), "entity_id_name not listed, kept");
            assertEquals("halo-oauth", event.getOauthConnection(), "oauth_connection not listed, kept");
            assertEquals(
                    Map.of("Authorization", "Bearer {api_key}"),
                    event.getCredentialHeaders(),
                    "credential_headers not listed, kept");
            assertEquals(haloSchema(), event.getConfigSchema(), "config_schema not listed, kept");
            assertEquals(NAME, event.getName(), "name kept");
            assertEquals(AuthScheme.OAUTH2, event.getAuthScheme(), "auth_scheme kept");
        }

        @Test
        void shouldChangeEveryListedField() {
            IntegrationState state = created(haloSchema());
            List<ConfigField> newSchema =
                    List.of(required("base_url", ConfigFieldType.STRING), optional("region", ConfigFieldType.STRING));
            UpdateIntegration cmd = update(
                            "cmd-2", "entity_id_name", "oauth_connection", "credential_headers", "config_schema")
                    .setDescription("ignored")
                    .setEntityIdName("Site ID")
                    .setOauthConnection("halo-oauth-2")
                    .setCredentialHeaders(Map.of("X-Key", "{api_key}"))
                    .setConfigSchema(newSchema)
                    .build();

            IntegrationUpdated event =
                    acceptedEvent(decider.decide(cmd, Optional.of(state), List.of(), T1), IntegrationUpdated.class);

            assertEquals("HaloPSA ticketing", event.getDescription(), "description not listed, kept");
            assertEquals("Site ID", event.getEntityIdName(), "entity_id_name");
            assertEquals("halo-oauth-2", event.getOauthConnection(), "oauth_connection");
            assertEquals(Map.of("X-Key", "{api_key}"), event.getCredentialHeaders(), "credential_headers");
            assertEquals(newSchema, event.getConfigSchema(), "config_schema");
        }

        @Test
        void shouldClearListedFieldsGivenWithoutValue() {
            IntegrationState state = created(haloSchema());
            UpdateIntegration cmd = update("cmd-2", "description", "oauth_connection", "credential_headers")
                    .build();

            IntegrationUpdated event =
                    acceptedEvent(decider.decide(cmd, Optional.of(state), List.of(), T1), IntegrationUpdated.class);

            assertNull(event.getDescription(), "description listed as changed to null");
            assertNull(event.getOauthConnection(), "oauth_connection listed as changed to null");
            assertEquals(Map.of(), event.getCredentialHeaders(), "credential_headers listed as changed to null");
        }

        @Test
        void shouldYieldTheSameEventWhenTheSameCommandIsDecidedTwice() {
            IntegrationState state = created(haloSchema());
            UpdateIntegration cmd =
                    update("cmd-2", "description").setDescription("x").build();

            assertEquals(
                    decider.decide(cmd, Optional.of(state), List.of(), T1),
                    decider.decide(cmd, Optional.of(state), List.of(), T1),
                    "deciding the same command twice");
        }
    }

    @Nested
    class SchemaChange {

        /** Defaults base_url and timeout; org-1 overrides timeout, org-2 sets api_key, org-3 overrides nothing. */
        private IntegrationState state;

        private List<MappingState> mappings;

        SchemaChange() {
            state = withDefaults(config("base_url", "https://halo.example", "timeout", 30L));
            mappings = List.of(
                    mapping("org-1", config("timeout", 60L)),
                    mapping("org-2", config("api_key", secret("org-2-key"))),
                    mapping("org-3", config()));
        }

        private Decision decide(List<ConfigField> schema) {
            return decider.decide(schemaChange("cmd-3", schema), Optional.of(state), mappings, T2);
        }

        @Test
        void shouldRejectTypeChangeListingDefaultsAndEveryMappingItBreaks() {
            Problem problem = invalid(decide(List.of(
                    required("base_url", ConfigFieldType.STRING),
                    optional("api_key", ConfigFieldType.SECRET),
                    optional("timeout", ConfigFieldType.STRING))));

            assertEquals(
                    List.of("defaults.timeout", "mappings.org-1.config.timeout"),
                    fieldsOf(problem),
                    "the stored timeout values, now of the wrong type");
            assertTrue(
                    messageFor(problem, "defaults.timeout").contains("must be of type string"),
                    () -> "message should name the new type but was " + problem.getErrors());
        }

        @Test
        void shouldRejectRemovalOfKeyStillSetInDefaults() {
            Problem problem = invalid(decide(List.of(
                    required("base_url", ConfigFieldType.STRING), optional("api_key", ConfigFieldType.SECRET))));

            assertEquals(
                    List.of("defaults.timeout", "mappings.org-1.config.timeout"),
                    fieldsOf(problem),
                    "the stored timeout values, now unknown");
            assertTrue(
                    messageFor(problem, "defaults.timeout").startsWith("unknown key"),
                    () -> "message should say unknown key but was " + problem.getErrors());
        }

        @Test
        void shouldRejectRemovalOfKeyStillSetInAMappingOverride() {
            Problem problem = invalid(decide(
                    List.of(required("base_url", ConfigFieldType.STRING), optional("timeout", ConfigFieldType.INT))));

            assertEquals(List.of("mappings.org-2.config.api_key"), fieldsOf(problem), "org-2's api_key, now unknown");
        }

        @Test
        void shouldRejectNewRequiredKeyMissingFromSomeMappingsMergedConfig() {
            Problem problem = invalid(decide(List.of(
                    required("base_url", ConfigFieldType.STRING),
                    required("api_key", ConfigFieldType.SECRET),
                    optional("timeout", ConfigFieldType.INT))));

            assertEquals(
                    List.of("mappings.org-1.config.api_key", "mappings.org-3.config.api_key"),
                    fieldsOf(problem),
                    "the mappings whose merged config lacks api_key (org-2 sets it)");
            assertTrue(
                    messageFor(problem, "mappings.org-1.config.api_key").startsWith("required"),
                    () -> "message should say required but was " + problem.getErrors());
        }

        @Test
        void shouldAcceptNewRequiredKeySatisfiedByTheDefaults() {
            List<ConfigField> schema = List.of(
                    required("base_url", ConfigFieldType.STRING),
                    optional("api_key", ConfigFieldType.SECRET),
                    required("timeout", ConfigFieldType.INT));

            IntegrationUpdated event = acceptedEvent(decide(schema), IntegrationUpdated.class);

            assertEquals(schema, event.getConfigSchema(), "the new schema");
        }

        @Test
        void shouldAcceptNewRequiredKeyWithoutMappings() {
            mappings = List.of();
            List<ConfigField> schema = List.of(
                    required("base_url", ConfigFieldType.STRING),
                    optional("api_key", ConfigFieldType.SECRET),
                    optional("timeout", ConfigFieldType.INT),
                    required("region", ConfigFieldType.STRING));

            acceptedEvent(decide(schema), IntegrationUpdated.class);
        }

        @Test
        void shouldAcceptCompatibleSchemaChange() {
            List<ConfigField> schema = List.of(
                    optional("base_url", ConfigFieldType.STRING),
                    optional("api_key", ConfigFieldType.SECRET),
                    optional("timeout", ConfigFieldType.INT),
                    optional("region", ConfigFieldType.STRING),
                    optional("flags", ConfigFieldType.JSON));

            IntegrationUpdated event = acceptedEvent(decide(schema), IntegrationUpdated.class);

            assertEquals(schema, event.getConfigSchema(), "the new schema");
            assertEquals(3L, event.getVersion(), "version after create, defaults and this change");
        }

        @Test
        void shouldRejectBadOrDuplicateKeysInNewSchema() {
            Problem problem = invalid(decide(List.of(
                    optional("base_url", ConfigFieldType.STRING),
                    optional("base_url", ConfigFieldType.STRING),
                    optional("", ConfigFieldType.INT))));

            assertEquals(
                    List.of("config_schema[1].key", "config_schema[2].key"),
                    fieldsOf(problem),
                    "the duplicate and the empty key");
        }

        @Test
        void shouldNotCheckStoredValuesWhenTheSchemaIsNotListed() {
            UpdateIntegration cmd = update("cmd-3", "description")
                    .setDescription("x")
                    .setConfigSchema(List.of(optional("only", ConfigFieldType.BOOL)))
                    .build();

            IntegrationUpdated event =
                    acceptedEvent(decider.decide(cmd, Optional.of(state), mappings, T2), IntegrationUpdated.class);

            assertEquals(haloSchema(), event.getConfigSchema(), "schema kept");
        }

        @Test
        void shouldCapListedErrorsAtMaxListedErrors() {
            IntegrationDecider capped = new IntegrationDecider(3);
            List<MappingState> many = mappingsWithOverrides(10, config("timeout", 60L));
            UpdateIntegration cmd = schemaChange(
                    "cmd-3",
                    List.of(required("base_url", ConfigFieldType.STRING), optional("timeout", ConfigFieldType.BOOL)));

            Problem problem = invalid(capped.decide(cmd, Optional.of(state), many, T2));

            assertEquals(
                    List.of("defaults.timeout", "mappings.org-1.config.timeout", "mappings.org-2.config.timeout"),
                    fieldsOf(problem),
                    "the first 3 of 11 broken values");
        }

        @Test
        void shouldCapListedErrorsWhenTheDefaultsAloneExceedTheCap() {
            IntegrationDecider capped = new IntegrationDecider(1);
            UpdateIntegration cmd = schemaChange("cmd-3", List.of(optional("other", ConfigFieldType.STRING)));

            Problem problem = invalid(capped.decide(cmd, Optional.of(state), mappings, T2));

            assertEquals(List.of("defaults.base_url"), fieldsOf(problem), "the first of the broken defaults");
        }
    }

    @Nested
    class Defaults {

        @Test
        void shouldRejectDefaultsOfMissingIntegrationWithNotFound() {
            Decision decision =
                    decider.decide(setDefaults("cmd-2", null, config("timeout", 30L)), Optional.empty(), List.of(), T1);

            rejected(decision, 404, Problems.NOT_FOUND);
        }

        @Test
        void shouldRejectStaleExpectedVersion() {
            IntegrationState state = created(haloSchema());

            Problem problem = rejected(
                    decider.decide(setDefaults("cmd-2", 5L, config("timeout", 30L)), Optional.of(state), List.of(), T1),
                    412,
                    Problems.STALE_VERSION);

            assertTrue(
                    problem.getDetail().contains("expected version 5"),
                    () -> "detail should give the expected version but was '" + problem.getDetail() + "'");
        }

        @Test
        void shouldSetDefaultsAtTheNextVersion() {
            IntegrationState state = created(haloSchema());
            Map<String, Object> defaults = config("base_url", "https://halo.example", "timeout", 30L);

            IntegrationDefaultsSet event = acceptedEvent(
                    decider.decide(setDefaults("cmd-2", 1L, defaults), Optional.of(state), List.of(), T1),
                    IntegrationDefaultsSet.class);

            assertEquals(2L, event.getVersion(), "version");
            assertEquals(defaults, event.getConfig(), "config");
            assertEquals(EventIds.event("cmd-2", 0), event.getEventId(), "event_id");
            assertEquals("integration/HaloPSA", event.getAggregateId(), "aggregate_id");
            assertEquals(T1, event.getOccurredAt(), "occurred_at");
            assertEquals("cmd-2", event.getCausationId(), "causation_id");
        }

        @Test
        void shouldRejectDefaultOfWrongType() {
            Problem problem = invalid(decider.decide(
                    setDefaults("cmd-2", null, config("timeout", "30")),
                    Optional.of(created(haloSchema())),
                    List.of(),
                    T1));

            assertEquals(List.of("config.timeout"), fieldsOf(problem), "the wrongly typed default");
            assertTrue(
                    messageFor(problem, "config.timeout").contains("must be of type int"),
                    () -> "message should name the type but was " + problem.getErrors());
        }

        @Test
        void shouldRejectDefaultOfUnknownKey() {
            Problem problem = invalid(decider.decide(
                    setDefaults("cmd-2", null, config("region", "eu")),
                    Optional.of(created(haloSchema())),
                    List.of(),
                    T1));

            assertEquals(List.of("config.region"), fieldsOf(problem), "the unknown default");
        }

        @Test
        void shouldRejectDefaultsThatLeaveAMappingWithoutARequiredKey() {
            IntegrationState state = withDefaults(config("base_url", "https://halo.example"));
            List<MappingState> mappings =
                    List.of(mapping("org-1", config()), mapping("org-2", config("base_url", "https://org-2.example")));

            Problem problem = invalid(decider.decide(
                    setDefaults("cmd-3", null, config("timeout", 30L)), Optional.of(state), mappings, T2));

            assertEquals(
                    List.of("mappings.org-1.config.base_url"),
                    fieldsOf(problem),
                    "org-1 relied on the default base_url; org-2 sets its own");
        }

        @Test
        void shouldAcceptDefaultsWithoutARequiredKeyWhenEveryMappingSetsIt() {
            IntegrationState state = withDefaults(config("base_url", "https://halo.example"));
            List<MappingState> mappings = List.of(mapping("org-2", config("base_url", "https://org-2.example")));

            acceptedEvent(
                    decider.decide(
                            setDefaults("cmd-3", null, config("timeout", 30L)), Optional.of(state), mappings, T2),
                    IntegrationDefaultsSet.class);
        }

        @Test
        void shouldCapListedMissingKeysAtMaxListedErrors() {
            IntegrationDecider capped = new IntegrationDecider(3);
            IntegrationState state = withDefaults(config("base_url", "https://halo.example"));

            Problem problem = invalid(capped.decide(
                    setDefaults("cmd-3", null, config()), Optional.of(state), mappingsWithOverrides(10, config()), T2));

            assertEquals(
                    List.of(
                            "mappings.org-1.config.base_url",
                            "mappings.org-2.config.base_url",
                            "mappings.org-3.config.base_url"),
                    fieldsOf(problem),
                    "the first 3 of 10 mappings");
        }

        @Test
        void shouldCapListedValueErrorsOfDefaultsAtMaxListedErrors() {
            IntegrationDecider capped = new IntegrationDecider(3);
            Map<String, Object> unknown = config("a1", 1L, "a2", 2L, "a3", 3L, "a4", 4L, "a5", 5L);

            Problem problem = invalid(capped.decide(
                    setDefaults("cmd-2", null, unknown), Optional.of(created(haloSchema())), List.of(), T1));

            assertEquals(
                    List.of("config.a1", "config.a2", "config.a3"), fieldsOf(problem), "the first 3 of 5 unknown keys");
        }

        @Test
        void shouldReplaceRatherThanMergeTheDefaults() {
            IntegrationState state = withDefaults(config("base_url", "https://halo.example", "timeout", 30L));

            Decision decision = decider.decide(
                    setDefaults("cmd-3", null, config("base_url", "https://new.example")),
                    Optional.of(state),
                    List.of(),
                    T2);

            assertEquals(
                    config("base_url", "https://new.example"),
                    fold(Optional.of(state), decision).orElseThrow().getDefaults(),
                    "defaults after replacement");
        }
    }

    @Nested
    class Delete {

        @Test
        void shouldRejectDeleteOfMissingIntegrationWithNotFound() {
            rejected(decider.decide(delete("cmd-9", null), Optional.empty(), T2), 404, Problems.NOT_FOUND);
        }

        @Test
        void shouldRejectStaleExpectedVersion() {
            rejected(
                    decider.decide(delete("cmd-9", 7L), Optional.of(created(haloSchema())), T2),
                    412,
                    Problems.STALE_VERSION);
        }

        @Test
        void shouldDeleteAtTheNextVersion() {
            IntegrationDeleted event = acceptedEvent(
                    decider.decide(delete("cmd-9", 1L), Optional.of(created(haloSchema())), T2),
                    IntegrationDeleted.class);

            assertEquals(2L, event.getVersion(), "version");
            assertEquals(NAME, event.getName(), "name");
            assertEquals(EventIds.event("cmd-9", 0), event.getEventId(), "event_id");
            assertEquals("integration/HaloPSA", event.getAggregateId(), "aggregate_id");
            assertEquals(T2, event.getOccurredAt(), "occurred_at");
            assertEquals("cmd-9", event.getCausationId(), "causation_id");
        }
    }

    @Nested
    class Evolve {

        @Test
        void shouldFoldCreatedUpdatedDefaultsSetAndDeleted() {
            Decision createdDecision = decider.decide(create("cmd-1"), Optional.empty(), T0);
            Optional<IntegrationState> v1 = fold(Optional.empty(), createdDecision);
            assertEquals(1L, v1.orElseThrow().getVersion(), "version after IntegrationCreated");
            assertEquals(T0, v1.get().getCreatedAt(), "created_at after IntegrationCreated");
            assertEquals(T0, v1.get().getUpdatedAt(), "updated_at after IntegrationCreated");
            assertEquals(Map.of(), v1.get().getDefaults(), "defaults after IntegrationCreated");

            Optional<IntegrationState> v2 = fold(
                    v1,
                    decider.decide(
                            update("cmd-2", "description").setDescription("v2").build(), v1, List.of(), T1));
            assertEquals(2L, v2.orElseThrow().getVersion(), "version after IntegrationUpdated");
            assertEquals("v2", v2.get().getDescription(), "description after IntegrationUpdated");
            assertEquals(T1, v2.get().getUpdatedAt(), "updated_at after IntegrationUpdated");

            Map<String, Object> defaults = config("base_url", "https://halo.example");
            Optional<IntegrationState> v3 =
                    fold(v2, decider.decide(setDefaults("cmd-3", 2L, defaults), v2, List.of(), T2));
            assertEquals(3L, v3.orElseThrow().getVersion(), "version after IntegrationDefaultsSet");
            assertEquals(defaults, v3.get().getDefaults(), "defaults after IntegrationDefaultsSet");
            assertEquals("v2", v3.get().getDescription(), "description kept by IntegrationDefaultsSet");
            assertEquals(T2, v3.get().getUpdatedAt(), "updated_at after IntegrationDefaultsSet");

            assertEquals(v1.get().getId(), v3.get().getId(), "id through the changes");
            assertEquals(T0, v3.get().getCreatedAt(), "created_at through the changes");

            Optional<IntegrationState> gone = fold(v3, decider.decide(delete("cmd-4", 3L), v3, T2));
            assertEquals(Optional.empty(), gone, "state after IntegrationDeleted");
        }

        @Test
        void shouldKeepDefaultsThroughAnUpdate() {
            IntegrationState state = withDefaults(config("base_url", "https://halo.example"));

            Optional<IntegrationState> next = fold(
                    Optional.of(state),
                    decider.decide(
                            update("cmd-3", "entity_id_name")
                                    .setEntityIdName("Site")
                                    .build(),
                            Optional.of(state),
                            List.of(),
                            T2));

            assertEquals(
                    config("base_url", "https://halo.example"),
                    next.orElseThrow().getDefaults(),
                    "defaults after IntegrationUpdated");
            assertEquals("Site", next.get().getEntityIdName(), "entity_id_name after IntegrationUpdated");
        }

        @Test
        void shouldStayEmptyForChangesOfAnIntegrationThatDoesNotExist() {
            IntegrationState state = created(haloSchema());
            SpecificRecord updated = decider.decide(
                            update("cmd-2", "description").setDescription("x").build(),
                            Optional.of(state),
                            List.of(),
                            T1)
                    .events()
                    .get(0);

            assertEquals(
                    Optional.empty(),
                    IntegrationDecider.evolve(Optional.empty(), updated),
                    "IntegrationUpdated on no integration");
        }

        @Test
        void shouldIgnoreEventsOfOtherKinds() {
            IntegrationState state = created(haloSchema());
            MappingDeleted other = MappingDeleted.newBuilder()
                    .setEventId("e")
                    .setAggregateId("integration/HaloPSA/mapping/o")
                    .setVersion(9L)
                    .setOccurredAt(Instant.EPOCH)
                    .setCausationId("c")
                    .setIntegrationName(NAME)
                    .setOrgId("o")
                    .build();

            assertEquals(
                    Optional.of(state),
                    IntegrationDecider.evolve(Optional.of(state), other),
                    "state after an event of another aggregate");
        }
    }
}
