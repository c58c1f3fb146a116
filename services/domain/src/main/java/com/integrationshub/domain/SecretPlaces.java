package com.integrationshub.domain;

/** The associated data a secret is sealed with: its aggregate and field, so a ciphertext only opens in its place. */
public final class SecretPlaces {

    private SecretPlaces() {
    }

    /** A secret default of an integration's config. */
    public static String integrationDefault(String integration, String key) {
        return Names.integrationAggregate(integration) + "/defaults/" + key;
    }

    /** A secret override in an org's mapping. */
    public static String mappingOverride(String integration, String orgId, String key) {
        return Names.mappingAggregate(integration, orgId) + "/config/" + key;
    }
}
