package com.integrationshub.query.streams;

/** The state stores of the command processor and of the views. */
public final class StoreNames {

    /** Command processor: integration name → IntegrationState, the state commands are decided against. */
    public static final String DECIDED_INTEGRATIONS = "decided-integrations";
    /** Command processor: "name/org" → MappingState. */
    public static final String DECIDED_MAPPINGS = "decided-mappings";
    /** Command processor: command_id → CommandOutcome, so a retried command is not applied twice. */
    public static final String PROCESSED_COMMANDS = "processed-commands";
    /** View: integration name → IntegrationState, built from the events topic. */
    public static final String INTEGRATIONS_VIEW = "integrations-view";
    /** View: "name/org" → MappingState, built from the events topic. */
    public static final String MAPPINGS_VIEW = "mappings-view";

    private StoreNames() {
    }
}
