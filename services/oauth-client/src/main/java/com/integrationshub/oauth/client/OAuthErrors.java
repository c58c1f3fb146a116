package com.integrationshub.oauth.client;

import java.util.Set;

/**
 * The provider error codes the hub repeats. A provider's {@code error} is free text to us: only the codes RFC 6749
 * defines are passed on (to callers, events and logs); anything else becomes {@link #GENERIC}, so no provider text
 * (which may be crafted, or carry a secret back) is ever echoed.
 */
public final class OAuthErrors {

    /** What an unknown, absent or malformed error code becomes. */
    public static final String GENERIC = "provider_error";

    /**
     * RFC 6749 §5.2: the token endpoint's error codes; with {@code server_error} and {@code temporarily_unavailable}
     * (RFC 6749 §4.1.2.1), which providers also answer from their token endpoints with a 5xx.
     */
    public static final Set<String> TOKEN_ERRORS = Set.of(
            "invalid_request",
            "invalid_client",
            "invalid_grant",
            "unauthorized_client",
            "unsupported_grant_type",
            "invalid_scope",
            "server_error",
            "temporarily_unavailable");

    /** RFC 6749 §4.1.2.1: the authorization endpoint's error codes (the {@code error} of a callback). */
    public static final Set<String> AUTHORIZATION_ERRORS = Set.of(
            "invalid_request",
            "unauthorized_client",
            "access_denied",
            "unsupported_response_type",
            "invalid_scope",
            "server_error",
            "temporarily_unavailable");

    private OAuthErrors() {}

    /** A token endpoint's {@code error}, if it is one of {@link #TOKEN_ERRORS}; else {@link #GENERIC}. */
    public static String tokenError(String error) {
        return error != null && TOKEN_ERRORS.contains(error) ? error : GENERIC;
    }

    /**
     * The reason the hub gives for a token endpoint's error answer: its {@code error} if one of
     * {@link #TOKEN_ERRORS}, else {@code http_<status>} (our own text, never the provider's).
     */
    public static String tokenError(String error, int status) {
        return error != null && TOKEN_ERRORS.contains(error) ? error : "http_" + status;
    }

    /** A callback's {@code error}, if it is an RFC 6749 §4.1.2.1 code; else {@link #GENERIC}. */
    public static String authorizationError(String error) {
        return error != null && AUTHORIZATION_ERRORS.contains(error) ? error : GENERIC;
    }
}
