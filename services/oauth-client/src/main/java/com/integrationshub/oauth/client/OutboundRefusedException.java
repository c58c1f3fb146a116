package com.integrationshub.oauth.client;

/**
 * A destination the outbound guard does not allow. {@link #code()} is a short code, {@link #getMessage()} says why
 * and which setting would allow it; neither contains the URL or the address.
 */
public final class OutboundRefusedException extends RuntimeException {

    private final String code;

    public OutboundRefusedException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** e.g. {@code insecure_url}, {@code address_not_allowed}, {@code unresolvable_host}, {@code invalid_url}. */
    public String code() {
        return code;
    }
}
