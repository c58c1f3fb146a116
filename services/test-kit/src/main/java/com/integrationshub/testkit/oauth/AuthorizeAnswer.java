package com.integrationshub.testkit.oauth;

/**
 * What the authorization endpoint does with one request: redirect (with a code, or with an error the redirect URI
 * can be trusted with), or refuse outright when there is nowhere safe to redirect.
 */
sealed interface AuthorizeAnswer {

    /** Redirect the browser to {@code url}. */
    record Redirect(String url) implements AuthorizeAnswer {}

    /** Do not redirect: the client or the redirect URI is unknown. */
    record Refusal(String why) implements AuthorizeAnswer {}

    static AuthorizeAnswer redirectError(String redirectUri, String error, String state) {
        return new Redirect(FormEncoding.withParams(redirectUri, "error", error, "state", state));
    }
}
