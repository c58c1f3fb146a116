package com.integrationshub.query.oauth;

/**
 * A token endpoint call that gave no token; {@link #code()} is an RFC 6749 error code or the hub's own short code
 * (see {@link com.integrationshub.oauth.client.TokenOutcome#reason()}), never provider text or a secret.
 */
public final class ProviderRefusedException extends RuntimeException {

    private final String code;

    public ProviderRefusedException(String code) {
        super("the provider refused: " + code, null, false, false);
        this.code = code;
    }

    /** The code, e.g. invalid_grant, redirect_refused, address_not_allowed. */
    public String code() {
        return code;
    }
}
