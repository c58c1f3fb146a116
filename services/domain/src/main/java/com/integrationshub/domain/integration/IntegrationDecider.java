package com.integrationshub.domain.integration;

import com.integrationshub.commands.CreateIntegration;
import com.integrationshub.commands.DeleteIntegration;
import com.integrationshub.commands.RemoveIntegrationSpec;
import com.integrationshub.commands.SetIntegrationDefaults;
import com.integrationshub.commands.SetIntegrationSpec;
import com.integrationshub.commands.UpdateIntegration;
import com.integrationshub.common.ConfigField;
import com.integrationshub.common.FieldError;
import com.integrationshub.domain.Decision;
import com.integrationshub.domain.EventIds;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.Problems;
import com.integrationshub.domain.config.ConfigSchema;
import com.integrationshub.domain.config.MergedConfig;
import com.integrationshub.events.IntegrationCreated;
import com.integrationshub.events.IntegrationDefaultsSet;
import com.integrationshub.events.IntegrationDeleted;
import com.integrationshub.events.IntegrationSpecRemoved;
import com.integrationshub.events.IntegrationSpecSet;
import com.integrationshub.events.IntegrationUpdated;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/** Decides integration commands against the integration's state and its mappings, and folds its events. */
public final class IntegrationDecider {

    /** The fields a PATCH may change. */
    public static final Set<String> PATCHABLE = Set.of(
            "description",
            "config_schema",
            "oauth_connection",
            "entity_id_name",
            "credential_headers",
            "proxy_base_url_key");

    private final int maxListedErrors;

    /** A decider that lists at most maxListedErrors stored values a refused schema change would break. */
    public IntegrationDecider(int maxListedErrors) {
        this.maxListedErrors = maxListedErrors;
    }

    /** Creates the integration unless the name is taken. */
    public Decision decide(CreateIntegration cmd, Optional<IntegrationState> current, Instant now) {
        return decide(cmd, current, 0, now);
    }

    /**
     * Creates the integration unless the name is taken. {@code lastVersion} is the last version an earlier
     * integration of the name had (0 for none): the new one starts above it, so an old If-Match cannot match it.
     */
    public Decision decide(CreateIntegration cmd, Optional<IntegrationState> current, long lastVersion, Instant now) {
        if (current.isPresent()) {
            return Decision.reject(Problems.conflict("integration '" + cmd.getName() + "' already exists"));
        }
        List<FieldError> errors = ConfigSchema.checkDefinition(cmd.getConfigSchema(), "config_schema");
        if (!errors.isEmpty()) return Decision.reject(Problems.invalid("config_schema is invalid", cap(errors)));
        return Decision.accept(IntegrationCreated.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(Names.integrationAggregate(cmd.getName()))
                .setVersion(lastVersion + 1)
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setName(cmd.getName())
                .setDescription(cmd.getDescription())
                .setAuthScheme(cmd.getAuthScheme())
                .setEntityIdName(cmd.getEntityIdName())
                .setConfigSchema(cmd.getConfigSchema())
                .setOauthConnection(cmd.getOauthConnection())
                .setCredentialHeaders(cmd.getCredentialHeaders())
                .setProxyBaseUrlKey(cmd.getProxyBaseUrlKey())
                .setCreatedAt(now)
                .build());
    }

    /** Changes the listed fields; refuses a schema that would make stored defaults or overrides invalid. */
    public Decision decide(
            UpdateIntegration cmd, Optional<IntegrationState> current, Iterable<MappingState> mappings, Instant now) {
        Optional<Decision> refused = checkExists(cmd.getName(), cmd.getExpectedVersion(), current);
        if (refused.isPresent()) return refused.get();
        IntegrationState state = current.orElseThrow();
        List<String> changed = cmd.getChangedFields();
        List<ConfigField> schema = changed.contains("config_schema") && cmd.getConfigSchema() != null
                ? cmd.getConfigSchema()
                : state.getConfigSchema();
        List<FieldError> errors = ConfigSchema.checkDefinition(schema, "config_schema");
        if (!errors.isEmpty()) return Decision.reject(Problems.invalid("config_schema is invalid", cap(errors)));
        if (changed.contains("config_schema")) {
            List<FieldError> broken = storedValuesBrokenBy(new ConfigSchema(schema), state.getDefaults(), mappings);
            if (!broken.isEmpty()) {
                return Decision.reject(Problems.invalid(
                        "the new config_schema would make stored defaults or mapping overrides invalid", broken));
            }
        }
        IntegrationUpdated.Builder event = IntegrationUpdated.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(Names.integrationAggregate(cmd.getName()))
                .setVersion(state.getVersion() + 1)
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setName(state.getName())
                .setAuthScheme(state.getAuthScheme())
                .setConfigSchema(schema)
                .setDescription(changed.contains("description") ? cmd.getDescription() : state.getDescription())
                .setEntityIdName(changed.contains("entity_id_name") ? cmd.getEntityIdName() : state.getEntityIdName())
                .setOauthConnection(
                        changed.contains("oauth_connection") ? cmd.getOauthConnection() : state.getOauthConnection())
                .setCredentialHeaders(
                        changed.contains("credential_headers")
                                ? orEmpty(cmd.getCredentialHeaders())
                                : state.getCredentialHeaders())
                .setProxyBaseUrlKey(
                        changed.contains("proxy_base_url_key") && cmd.getProxyBaseUrlKey() != null
                                ? cmd.getProxyBaseUrlKey()
                                : state.getProxyBaseUrlKey());
        return Decision.accept(event.build());
    }

    /** Replaces the defaults; every value is checked against the schema and no mapping may lose a required key. */
    public Decision decide(
            SetIntegrationDefaults cmd,
            Optional<IntegrationState> current,
            Iterable<MappingState> mappings,
            Instant now) {
        Optional<Decision> refused = checkExists(cmd.getName(), cmd.getExpectedVersion(), current);
        if (refused.isPresent()) return refused.get();
        IntegrationState state = current.orElseThrow();
        ConfigSchema schema = new ConfigSchema(state.getConfigSchema());
        List<FieldError> errors = schema.validateValues(cmd.getConfig(), "config");
        if (!errors.isEmpty()) {
            return Decision.reject(Problems.invalid("config does not match the config schema", cap(errors)));
        }
        List<FieldError> missing = new ArrayList<>();
        for (MappingState mapping : mappings) {
            if (missing.size() >= maxListedErrors) break;
            missing.addAll(schema.validateRequired(
                    MergedConfig.merge(cmd.getConfig(), mapping.getConfig()),
                    "mappings." + mapping.getOrgId() + ".config"));
        }
        if (!missing.isEmpty()) {
            return Decision.reject(
                    Problems.invalid("these defaults would leave mapped orgs without a required key", cap(missing)));
        }
        return Decision.accept(IntegrationDefaultsSet.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(Names.integrationAggregate(cmd.getName()))
                .setVersion(state.getVersion() + 1)
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setName(cmd.getName())
                .setConfig(cmd.getConfig())
                .build());
    }

    /**
     * Sets the provider's OpenAPI document (written to the specs topic before the command, under its digest): the
     * event records its digest and size, and the spec's version counts the documents set so far.
     */
    public Decision decide(SetIntegrationSpec cmd, Optional<IntegrationState> current, Instant now) {
        Optional<Decision> refused = checkExists(cmd.getName(), cmd.getExpectedVersion(), current);
        if (refused.isPresent()) return refused.get();
        IntegrationState state = current.orElseThrow();
        return Decision.accept(IntegrationSpecSet.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(Names.integrationAggregate(cmd.getName()))
                .setVersion(state.getVersion() + 1)
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setName(cmd.getName())
                .setSpecVersion(state.getSpecVersion() + 1)
                .setSpecDigest(cmd.getSpecDigest())
                .setSpecTitle(cmd.getSpecTitle())
                .setSpecOperations(cmd.getSpecOperations())
                .setSpecBytes(cmd.getSpecBytes())
                .setSpecChunks(cmd.getSpecChunks())
                .build());
    }

    /** Removes the provider's OpenAPI document; 404 if the integration has none. */
    public Decision decide(RemoveIntegrationSpec cmd, Optional<IntegrationState> current, Instant now) {
        Optional<Decision> refused = checkExists(cmd.getName(), cmd.getExpectedVersion(), current);
        if (refused.isPresent()) return refused.get();
        IntegrationState state = current.orElseThrow();
        if (state.getSpecDigest() == null) {
            return Decision.reject(Problems.notFound("OpenAPI document of integration", cmd.getName()));
        }
        return Decision.accept(IntegrationSpecRemoved.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(Names.integrationAggregate(cmd.getName()))
                .setVersion(state.getVersion() + 1)
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setName(cmd.getName())
                .setSpecDigest(state.getSpecDigest())
                .build());
    }

    /** Deletes the integration; its mappings and credentials go with it. */
    public Decision decide(DeleteIntegration cmd, Optional<IntegrationState> current, Instant now) {
        Optional<Decision> refused = checkExists(cmd.getName(), cmd.getExpectedVersion(), current);
        if (refused.isPresent()) return refused.get();
        return Decision.accept(IntegrationDeleted.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(Names.integrationAggregate(cmd.getName()))
                .setVersion(current.orElseThrow().getVersion() + 1)
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setName(cmd.getName())
                .build());
    }

    /** The integration's state after an event; empty after deletion. */
    public static Optional<IntegrationState> evolve(Optional<IntegrationState> state, SpecificRecord event) {
        if (event instanceof IntegrationCreated e) {
            return Optional.of(IntegrationState.newBuilder()
                    .setId(EventIds.resource("integration", e.getCausationId()))
                    .setName(e.getName())
                    .setDescription(e.getDescription())
                    .setAuthScheme(e.getAuthScheme())
                    .setEntityIdName(e.getEntityIdName())
                    .setConfigSchema(e.getConfigSchema())
                    .setOauthConnection(e.getOauthConnection())
                    .setCredentialHeaders(e.getCredentialHeaders())
                    .setProxyBaseUrlKey(e.getProxyBaseUrlKey())
                    .setDefaults(new LinkedHashMap<>())
                    .setVersion(e.getVersion())
                    .setCreatedAt(e.getCreatedAt())
                    .setUpdatedAt(e.getOccurredAt())
                    .build());
        }
        if (state.isEmpty()) return state;
        IntegrationState.Builder next = IntegrationState.newBuilder(state.get());
        if (event instanceof IntegrationUpdated e) {
            next.setDescription(e.getDescription())
                    .setEntityIdName(e.getEntityIdName())
                    .setConfigSchema(e.getConfigSchema())
                    .setOauthConnection(e.getOauthConnection())
                    .setCredentialHeaders(e.getCredentialHeaders())
                    .setProxyBaseUrlKey(e.getProxyBaseUrlKey())
                    .setVersion(e.getVersion())
                    .setUpdatedAt(e.getOccurredAt());
        } else if (event instanceof IntegrationDefaultsSet e) {
            next.setDefaults(e.getConfig()).setVersion(e.getVersion()).setUpdatedAt(e.getOccurredAt());
        } else if (event instanceof IntegrationSpecSet e) {
            next.setSpecVersion(e.getSpecVersion())
                    .setSpecDigest(e.getSpecDigest())
                    .setSpecTitle(e.getSpecTitle())
                    .setSpecOperations(e.getSpecOperations())
                    .setSpecBytes(e.getSpecBytes())
                    .setSpecChunks(e.getSpecChunks())
                    .setVersion(e.getVersion())
                    .setUpdatedAt(e.getOccurredAt());
        } else if (event instanceof IntegrationSpecRemoved e) {
            // The spec version stays: a later document gets the next one.
            next.setSpecDigest(null)
                    .setSpecTitle(null)
                    .setSpecOperations(0)
                    .setSpecBytes(0)
                    .setSpecChunks(0)
                    .setVersion(e.getVersion())
                    .setUpdatedAt(e.getOccurredAt());
        } else if (event instanceof IntegrationDeleted) {
            return Optional.empty();
        } else {
            return state;
        }
        return Optional.of(next.build());
    }

    private static Optional<Decision> checkExists(
            String name, Long expectedVersion, Optional<IntegrationState> current) {
        if (current.isEmpty()) return Optional.of(Decision.reject(Problems.notFound("integration", name)));
        if (expectedVersion != null && expectedVersion != current.get().getVersion()) {
            return Optional.of(Decision.reject(
                    Problems.staleVersion(expectedVersion, current.get().getVersion())));
        }
        return Optional.empty();
    }

    private List<FieldError> storedValuesBrokenBy(
            ConfigSchema schema, Map<String, Object> defaults, Iterable<MappingState> mappings) {
        List<FieldError> broken = new ArrayList<>(schema.validateValues(defaults, "defaults"));
        for (MappingState mapping : mappings) {
            if (broken.size() >= maxListedErrors) break;
            String path = "mappings." + mapping.getOrgId() + ".config";
            broken.addAll(schema.validateValues(mapping.getConfig(), path));
            broken.addAll(schema.validateRequired(MergedConfig.merge(defaults, mapping.getConfig()), path));
        }
        return cap(broken);
    }

    private List<FieldError> cap(List<FieldError> errors) {
        return errors.size() > maxListedErrors ? errors.subList(0, maxListedErrors) : errors;
    }

    private static Map<String, String> orEmpty(Map<String, String> headers) {
        return headers == null ? Map.of() : headers;
    }
}
