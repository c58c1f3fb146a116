package com.integrationshub.query.store;

import com.integrationshub.state.AuthorizationState;
import com.integrationshub.state.ConnectionState;
import com.integrationshub.state.CredentialsState;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import com.integrationshub.state.TokenState;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * The state stores: one set ("*-view") that commands are decided against and reads answer from. The command processor
 * folds the events it decides into them; the view builder folds the events decided elsewhere (see {@link StateEpoch}).
 */
public final class StoreNames {

    /** Integration name → IntegrationState. */
    public static final String INTEGRATIONS = "integrations";
    /** "name/org" → MappingState. */
    public static final String MAPPINGS = "mappings";
    /** "name/org" (or "name/*global*") → CredentialsState. */
    public static final String CREDENTIALS = "credentials";
    /** Connection name → ConnectionState. */
    public static final String CONNECTIONS = "connections";
    /** Token id ("connection/org") → TokenState. */
    public static final String TOKENS = "tokens";
    /** SHA-256 of an OAuth state → AuthorizationState. */
    public static final String AUTHORIZATIONS = "authorizations";
    /** Every kind of state. */
    public static final List<String> KINDS =
            List.of(INTEGRATIONS, MAPPINGS, CREDENTIALS, CONNECTIONS, TOKENS, AUTHORIZATIONS);

    /**
     * Aggregate id of a deleted integration or mapping → the last version it had, so a new incarnation starts above
     * it and an old If-Match cannot match it. (The name is older than the single set of stores; kept so an upgrade
     * restores the same changelog.)
     */
    public static final String LAST_VERSIONS = "decided-last-versions";
    /** "epoch" → the epoch of the partition's state ({@link StateEpoch}). */
    public static final String STATE_EPOCH = "state-epoch";
    /** Command processor: command_id → CommandOutcome, so a retried command is not applied twice. */
    public static final String PROCESSED_COMMANDS = "processed-commands";
    /** The view of integrations, the store reads are routed by. */
    public static final String INTEGRATIONS_VIEW = view(INTEGRATIONS);
    /** The view of mappings. */
    public static final String MAPPINGS_VIEW = view(MAPPINGS);

    private static final Map<String, Class<? extends SpecificRecord>> STATE_TYPES = Map.of(
            INTEGRATIONS, IntegrationState.class,
            MAPPINGS, MappingState.class,
            CREDENTIALS, CredentialsState.class,
            CONNECTIONS, ConnectionState.class,
            TOKENS, TokenState.class,
            AUTHORIZATIONS, AuthorizationState.class);

    private StoreNames() {}

    /** The state record a kind's stores hold; null for a name that is not a kind. */
    public static Class<? extends SpecificRecord> stateType(String kind) {
        return STATE_TYPES.get(kind);
    }

    /** The view store of a kind. */
    public static String view(String kind) {
        return kind + "-view";
    }
}
