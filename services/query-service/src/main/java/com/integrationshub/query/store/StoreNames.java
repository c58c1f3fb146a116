package com.integrationshub.query.store;

import java.util.List;

/**
 * The state stores. The command processor keeps one set ("decided-*": the state commands are decided against) and
 * the view builder another ("*-view": what reads answer from), both folded from the same events.
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
     * Command processor: aggregate id of a deleted integration or mapping → the last version it had, so a new
     * incarnation starts above it and an old If-Match cannot match it.
     */
    public static final String LAST_VERSIONS = "decided-last-versions";
    /** Command processor: command_id → CommandOutcome, so a retried command is not applied twice. */
    public static final String PROCESSED_COMMANDS = "processed-commands";
    /** The view of integrations, the store reads are routed by. */
    public static final String INTEGRATIONS_VIEW = view(INTEGRATIONS);
    /** The view of mappings. */
    public static final String MAPPINGS_VIEW = view(MAPPINGS);

    private StoreNames() {}

    /** The command processor's store of a kind. */
    public static String decided(String kind) {
        return "decided-" + kind;
    }

    /** The view store of a kind. */
    public static String view(String kind) {
        return kind + "-view";
    }
}
