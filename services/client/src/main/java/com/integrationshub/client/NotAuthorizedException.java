package com.integrationshub.client;

import java.util.Optional;

/**
 * 409 {@code not-authorized}: the org has no credentials for the integration yet (nobody connected, or its OAuth
 * token is missing, expired or needs a new authorization). For an OAuth 2.0 integration with the authorization-code
 * grant, the hub names where a person can authorize: {@link #authorizeUrl()}.
 */
public class NotAuthorizedException extends ConflictException {

    /** The problem type's name: the type URI ends with {@code /not-authorized}. */
    public static final String TYPE_NAME = "not-authorized";
    /** The problem member that holds the authorize URL. */
    public static final String AUTHORIZE_URL = "authorize_url";

    private final String authorizeUrl;

    public NotAuthorizedException(Problem problem) {
        super(problem);
        Object url = problem.extensions().get(AUTHORIZE_URL);
        this.authorizeUrl = url == null || url.toString().isBlank() ? null : url.toString();
    }

    /**
     * Returns the provider's authorize URL (with a fresh {@code state} and PKCE challenge) to send a person to; empty
     * when the hub named none (static credentials, client-credentials grant, or no OAuth connection).
     */
    public Optional<String> authorizeUrl() {
        return Optional.ofNullable(authorizeUrl);
    }
}
