package com.integrationshub.domain.oauth1;

/**
 * A request the signer will not sign, naming the input at fault (e.g. {@code client_secret} for a malformed RSA key,
 * {@code url} for PLAINTEXT over http) so the HTTP layer can answer 422 for that field. The message never contains
 * the input's value.
 */
public final class SigningRefused extends RuntimeException {

    private final String field;
    private final String reason;

    public SigningRefused(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    /** Returns the field at fault, as the HTTP contract names it. */
    public String field() {
        return field;
    }

    /** Returns why, without the field's value. */
    public String reason() {
        return reason;
    }
}
