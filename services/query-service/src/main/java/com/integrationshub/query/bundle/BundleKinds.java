package com.integrationshub.query.bundle;

import java.util.List;

/** The kinds of items a bundle holds, in the order an import applies them, and the list each is under. */
public final class BundleKinds {

    /** An OAuth connection, under `oauth_connections`; applied first, as integrations name them. */
    public static final String CONNECTION = "oauth_connection";
    /** An integration, under `integrations`; applied before the mappings of it. */
    public static final String INTEGRATION = "integration";
    /** An org's mapping of an integration, under `mappings`. */
    public static final String MAPPING = "mapping";
    /** Every kind, in the order an import applies them. */
    public static final List<String> ORDER = List.of(CONNECTION, INTEGRATION, MAPPING);

    private BundleKinds() {}

    /** The bundle member that lists items of a kind. */
    public static String list(String kind) {
        return switch (kind) {
            case CONNECTION -> "oauth_connections";
            case INTEGRATION -> "integrations";
            default -> "mappings";
        };
    }

    /** The member that names an item of a kind (a mapping is named by two: `integration` and `org_id`). */
    static String nameField(String kind) {
        return switch (kind) {
            case CONNECTION -> "connection_name";
            case INTEGRATION -> "name";
            default -> "org_id";
        };
    }
}
