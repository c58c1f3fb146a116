package com.integrationshub.client;

/**
 * 409 {@code needs-reauth}: the provider refused to refresh the OAuth token (e.g. {@code invalid_grant}); the hub
 * makes no more attempts until a person connects again.
 */
public class NeedsReauthException extends ConflictException {

    /** The problem type's name: the type URI ends with {@code /needs-reauth}. */
    public static final String TYPE_NAME = "needs-reauth";

    public NeedsReauthException(Problem problem) {
        super(problem);
    }
}
