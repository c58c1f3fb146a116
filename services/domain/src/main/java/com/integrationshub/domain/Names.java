package com.integrationshub.domain;

import java.util.regex.Pattern;

/** Names of integrations, orgs, connections and config keys, and the aggregate ids built from them. */
public final class Names {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    /** What a valid name is, as error messages say it. */
    public static final String RULE = "must match [A-Za-z0-9_.-]{1,128} and not be . or ..";

    private Names() {}

    /**
     * Whether a name matches `[A-Za-z0-9_.-]{1,128}` and is not `.` or `..`: names become path segments of URLs
     * (and of the proxy's targets), where those two would mean "this" and "the parent".
     */
    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    /** The aggregate id of an integration. */
    public static String integrationAggregate(String name) {
        return "integration/" + name;
    }

    /** The aggregate id of an org's mapping of an integration. */
    public static String mappingAggregate(String integration, String orgId) {
        return "integration/" + integration + "/mapping/" + orgId;
    }

    /** The scope name of the global (not per-org) token or credentials; not a valid org id, so never confused. */
    public static final String GLOBAL_SCOPE = "*global*";

    /** The id of an OAuth token: its connection and the org it is for (or the global scope). */
    public static String tokenId(String connectionName, String orgIdOrNull) {
        return connectionName + "/" + (orgIdOrNull == null ? GLOBAL_SCOPE : orgIdOrNull);
    }

    /** The aggregate id of an OAuth connection. */
    public static String connectionAggregate(String connectionName) {
        return "oauth-connection/" + connectionName;
    }

    /** The aggregate id of an OAuth token. */
    public static String tokenAggregate(String tokenId) {
        return "oauth-token/" + tokenId;
    }

    /** The store key of a mapping: integration name, a slash, the org id (names never contain a slash). */
    public static String mappingKey(String integration, String orgId) {
        return integration + "/" + orgId;
    }

    /** The store key prefix of every mapping of an integration. */
    public static String mappingPrefix(String integration) {
        return integration + "/";
    }
}
