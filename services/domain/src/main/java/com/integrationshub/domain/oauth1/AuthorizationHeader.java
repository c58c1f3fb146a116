package com.integrationshub.domain.oauth1;

import java.util.Map;
import java.util.Optional;

/**
 * RFC 5849 §3.5.1: the {@code Authorization: OAuth ...} header value: an optional {@code realm} (an RFC 2617
 * quoted-string, not part of the signature) then each protocol parameter as {@code name="value"}, both
 * percent-encoded (§3.6), separated by {@code ", "}.
 */
public final class AuthorizationHeader {

    private AuthorizationHeader() {}

    /** Returns the header value for the protocol parameters, in their iteration order. */
    public static String render(Optional<String> realm, Map<String, String> protocolParameters) {
        final StringBuilder out = new StringBuilder("OAuth ");
        String separator = "";
        if (realm.isPresent()) {
            out.append("realm=\"")
                    .append(realm.get().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
            separator = ", ";
        }
        for (Map.Entry<String, String> p : protocolParameters.entrySet()) {
            out.append(separator)
                    .append(PercentEncoding.encode(p.getKey()))
                    .append("=\"")
                    .append(PercentEncoding.encode(p.getValue()))
                    .append('"');
            separator = ", ";
        }
        return out.toString();
    }
}
