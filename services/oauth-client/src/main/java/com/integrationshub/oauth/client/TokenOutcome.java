package com.integrationshub.oauth.client;

/**
 * What one token endpoint call came to. Every reason is the hub's own short code or an RFC 6749 error code
 * ({@link OAuthErrors}), never provider text or a request value, so it may be stored, answered and logged.
 */
public sealed interface TokenOutcome {

    /** A short code saying what happened, e.g. {@code invalid_grant}, {@code timeout}, {@code redirect_refused}. */
    String reason();

    /** Whether trying the same call later may succeed (5xx, 408, 429, timeout, connection error). */
    default boolean retryable() {
        return false;
    }

    /** The provider issued a token. */
    record Granted(TokenResponse token) implements TokenOutcome {
        @Override
        public String reason() {
            return "granted";
        }
    }

    /** An error answer (a 4xx but 408 and 429): the provider refuses; {@code error} restricted by {@link OAuthErrors}. */
    record Refused(int status, String error) implements TokenOutcome {
        @Override
        public String reason() {
            return error;
        }
    }

    /** A failure that may pass: a 5xx, 408 or 429 answer, a timeout, a connection error, an unusable 2xx answer. */
    record Unavailable(String reason) implements TokenOutcome {
        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** A 3xx answer: never followed, so the request (and the client's credentials) went nowhere else. */
    record Redirected(int status) implements TokenOutcome {
        @Override
        public String reason() {
            return "redirect_refused";
        }
    }

    /** The outbound guard refused the URL or its addresses: nothing was sent. */
    record Blocked(String reason) implements TokenOutcome {}
}
