package com.integrationshub.domain.mapping;

import com.integrationshub.commands.DeleteMapping;
import com.integrationshub.commands.UpsertMapping;
import com.integrationshub.common.FieldError;
import com.integrationshub.domain.Decision;
import com.integrationshub.domain.EventIds;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.Problems;
import com.integrationshub.domain.config.ConfigSchema;
import com.integrationshub.domain.config.MergedConfig;
import com.integrationshub.events.IntegrationDeleted;
import com.integrationshub.events.MappingDeleted;
import com.integrationshub.events.MappingUpserted;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/** Decides mapping commands against the integration they belong to and the org's current mapping. */
public final class MappingDecider {

    private MappingDecider() {}

    /** Creates or replaces the org's mapping; overrides are checked against the integration's schema. */
    public static Decision decide(
            UpsertMapping cmd, Optional<IntegrationState> integration, Optional<MappingState> current, Instant now) {
        return decide(cmd, integration, current, 0, now);
    }

    /**
     * Creates or replaces the org's mapping. {@code lastVersion} is the last version an earlier, deleted mapping of
     * the org had (0 for none): a new mapping starts above it, so an old If-Match cannot match it.
     */
    public static Decision decide(
            UpsertMapping cmd,
            Optional<IntegrationState> integration,
            Optional<MappingState> current,
            long lastVersion,
            Instant now) {
        if (integration.isEmpty()) return Decision.reject(Problems.notFound("integration", cmd.getIntegrationName()));
        Optional<Decision> stale = checkVersion(cmd.getExpectedVersion(), current);
        if (stale.isPresent()) return stale.get();
        ConfigSchema schema = new ConfigSchema(integration.get().getConfigSchema());
        List<FieldError> errors = new ArrayList<>(schema.validateValues(cmd.getConfig(), "config"));
        if (errors.isEmpty()) {
            errors.addAll(schema.validateRequired(
                    MergedConfig.merge(integration.get().getDefaults(), cmd.getConfig()), "config"));
        }
        if (!errors.isEmpty())
            return Decision.reject(Problems.invalid("config does not match the config schema", errors));
        long version = current.map(m -> m.getVersion() + 1).orElse(lastVersion + 1);
        Instant createdAt = current.map(MappingState::getCreatedAt).orElse(now);
        return Decision.accept(MappingUpserted.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(Names.mappingAggregate(cmd.getIntegrationName(), cmd.getOrgId()))
                .setVersion(version)
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setIntegrationName(cmd.getIntegrationName())
                .setOrgId(cmd.getOrgId())
                .setEntityId(cmd.getEntityId())
                .setEntityName(cmd.getEntityName())
                .setConfig(cmd.getConfig())
                .setOauthTokenId(cmd.getOauthTokenId())
                .setCreatedAt(createdAt)
                .build());
    }

    /** Deletes the org's mapping. */
    public static Decision decide(
            DeleteMapping cmd, Optional<IntegrationState> integration, Optional<MappingState> current, Instant now) {
        if (integration.isEmpty()) return Decision.reject(Problems.notFound("integration", cmd.getIntegrationName()));
        if (current.isEmpty()) {
            return Decision.reject(Problems.notFound("mapping", cmd.getIntegrationName() + "/" + cmd.getOrgId()));
        }
        Optional<Decision> stale = checkVersion(cmd.getExpectedVersion(), current);
        if (stale.isPresent()) return stale.get();
        return Decision.accept(MappingDeleted.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(Names.mappingAggregate(cmd.getIntegrationName(), cmd.getOrgId()))
                .setVersion(current.get().getVersion() + 1)
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setIntegrationName(cmd.getIntegrationName())
                .setOrgId(cmd.getOrgId())
                .build());
    }

    /** The mapping's state after one of its events; empty after deletion (of it or of its integration). */
    public static Optional<MappingState> evolve(Optional<MappingState> state, SpecificRecord event) {
        if (event instanceof MappingUpserted e) {
            String id =
                    state.map(MappingState::getId).orElseGet(() -> EventIds.resource("mapping", e.getCausationId()));
            return Optional.of(MappingState.newBuilder()
                    .setId(id)
                    .setIntegrationName(e.getIntegrationName())
                    .setOrgId(e.getOrgId())
                    .setEntityId(e.getEntityId())
                    .setEntityName(e.getEntityName())
                    .setConfig(e.getConfig())
                    .setOauthTokenId(e.getOauthTokenId())
                    .setVersion(e.getVersion())
                    .setCreatedAt(e.getCreatedAt())
                    .setUpdatedAt(e.getOccurredAt())
                    .build());
        }
        if (event instanceof MappingDeleted || event instanceof IntegrationDeleted) return Optional.empty();
        return state;
    }

    private static Optional<Decision> checkVersion(Long expected, Optional<MappingState> current) {
        if (expected == null) return Optional.empty();
        Long actual = current.map(MappingState::getVersion).orElse(null);
        if (!expected.equals(actual)) return Optional.of(Decision.reject(Problems.staleVersion(expected, actual)));
        return Optional.empty();
    }
}
