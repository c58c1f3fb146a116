package com.integrationshub.domain.oauth1;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A signed request: the protocol parameters sent (every {@code oauth_*}, {@code oauth_signature} last) and the
 * base string they were signed over. A PLAINTEXT signature holds the consumer secret, so {@link #toString()} shows
 * neither the signature nor the header.
 */
public final class SignedRequest {

    private final Map<String, String> protocolParameters;
    private final String baseString;

    SignedRequest(Map<String, String> protocolParameters, String baseString) {
        this.protocolParameters = Collections.unmodifiableMap(new LinkedHashMap<>(protocolParameters));
        this.baseString = baseString;
    }

    /** Returns the {@code Authorization} header value without a realm. */
    public String authorization() {
        return AuthorizationHeader.render(Optional.empty(), protocolParameters);
    }

    /** Returns the {@code Authorization} header value with {@code realm} first, when present. */
    public String authorization(Optional<String> realm) {
        return AuthorizationHeader.render(realm, protocolParameters);
    }

    /** Returns the protocol parameters in header order, decoded, {@code oauth_signature} included. */
    public Map<String, String> protocolParameters() {
        return protocolParameters;
    }

    /** Returns the {@code oauth_signature} value (decoded). */
    public String signature() {
        return protocolParameters.get("oauth_signature");
    }

    /**
     * Returns the signature base string (§3.4.1). It holds no shared-secret but does hold the {@code oauth_token},
     * which the hub keeps sealed: never log it.
     */
    public String baseString() {
        return baseString;
    }

    @Override
    public String toString() {
        return "SignedRequest[method=" + protocolParameters.get("oauth_signature_method") + ", nonce="
                + protocolParameters.get("oauth_nonce") + "]";
    }
}
