package com.integrationshub.client;

/**
 * 409 {@code key-not-found}: one of the integration's {@code credential_headers} templates names a key (e.g.
 * {@code {account}}) that is set neither in the org's credentials nor in its merged config; {@link #key()} names it.
 */
public class KeyNotFoundException extends ConflictException {

    /** The problem type's name: the type URI ends with {@code /key-not-found}. */
    public static final String TYPE_NAME = "key-not-found";
    /** The problem member that holds the key. */
    public static final String KEY = "key";

    private final String key;

    public KeyNotFoundException(Problem problem) {
        super(problem);
        Object value = problem.extensions().get(KEY);
        this.key = value == null ? null : value.toString();
    }

    /** Returns the key the template names and nobody set (e.g. {@code account}); null if the hub did not name it. */
    public String key() {
        return key;
    }
}
