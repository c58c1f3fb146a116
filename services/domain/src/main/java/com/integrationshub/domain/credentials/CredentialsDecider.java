package com.integrationshub.domain.credentials;

import com.integrationshub.commands.SetCredentials;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.FieldError;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.Decision;
import com.integrationshub.domain.EventIds;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.Problems;
import com.integrationshub.events.CredentialsSet;
import com.integrationshub.events.IntegrationDeleted;
import com.integrationshub.state.CredentialsState;
import com.integrationshub.state.IntegrationState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/** Decides static credentials (API key, bearer token, basic auth, none) of an org or of the global scope. */
public final class CredentialsDecider {

    /** What each static scheme needs: field name → whether it is a secret. */
    public static final Map<AuthScheme, Map<String, Boolean>> FIELDS = Map.of(
            AuthScheme.API_KEY, Map.of("api_key", true),
            AuthScheme.BEARER_TOKEN, Map.of("token", true),
            AuthScheme.BASIC, Map.of("username", false, "password", true),
            AuthScheme.NO_AUTH, Map.of());

    private CredentialsDecider() {}

    /** Sets the credentials when the integration uses that scheme and every field is there, secrets sealed. */
    public static Decision decide(
            SetCredentials cmd,
            Optional<IntegrationState> integration,
            Optional<CredentialsState> current,
            Instant now) {
        if (integration.isEmpty()) return Decision.reject(Problems.notFound("integration", cmd.getIntegrationName()));
        AuthScheme scheme = cmd.getAuthScheme();
        if (scheme != integration.get().getAuthScheme()) {
            return Decision.reject(Problems.invalid(
                    "integration '" + cmd.getIntegrationName() + "' uses "
                            + integration.get().getAuthScheme() + ", not " + scheme,
                    List.of(new FieldError(
                            "auth_scheme", "must be " + integration.get().getAuthScheme()))));
        }
        Map<String, Boolean> needed = FIELDS.get(scheme);
        if (needed == null) {
            return Decision.reject(Problems.invalid(
                    scheme + " credentials come from an OAuth connection",
                    List.of(new FieldError("auth_scheme", "is not a static scheme"))));
        }
        List<FieldError> errors = new ArrayList<>();
        needed.forEach((field, secret) -> {
            Object value = cmd.getValues().get(field);
            if (value == null) errors.add(new FieldError("data." + field, "is required for " + scheme));
            else if (secret && !(value instanceof SealedSecret))
                errors.add(new FieldError("data." + field, "must be sealed"));
        });
        cmd.getValues().keySet().stream()
                .filter(k -> !needed.containsKey(k))
                .forEach(k -> errors.add(new FieldError("data." + k, "unknown field for " + scheme)));
        if (!errors.isEmpty()) return Decision.reject(Problems.invalid("the credentials are incomplete", errors));
        return Decision.accept(CredentialsSet.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(Names.integrationAggregate(cmd.getIntegrationName()) + "/credentials/"
                        + (cmd.getOrgId() == null ? Names.GLOBAL_SCOPE : cmd.getOrgId()))
                .setVersion(current.map(c -> c.getVersion() + 1).orElse(1L))
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setConnectionId(cmd.getConnectionId())
                .setIntegrationName(cmd.getIntegrationName())
                .setOrgId(cmd.getOrgId())
                .setAuthScheme(scheme)
                .setValues(cmd.getValues())
                .build());
    }

    /** The credentials after an event; gone with their integration. */
    public static Optional<CredentialsState> evolve(Optional<CredentialsState> state, SpecificRecord event) {
        if (event instanceof CredentialsSet e) {
            return Optional.of(CredentialsState.newBuilder()
                    .setConnectionId(e.getConnectionId())
                    .setIntegrationName(e.getIntegrationName())
                    .setOrgId(e.getOrgId())
                    .setAuthScheme(e.getAuthScheme())
                    .setValues(e.getValues())
                    .setVersion(e.getVersion())
                    .setUpdatedAt(e.getOccurredAt())
                    .build());
        }
        if (event instanceof IntegrationDeleted) return Optional.empty();
        return state;
    }

    /** The store key of an org's (or the global scope's) credentials. */
    public static String key(String integration, String orgIdOrNull) {
        return Names.mappingKey(integration, orgIdOrNull == null ? Names.GLOBAL_SCOPE : orgIdOrNull);
    }
}
