package com.integrationshub.oauth.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** application/x-www-form-urlencoded (RFC 6749 Appendix B) and the HTTP Basic credentials of RFC 6749 §2.3.1. */
public final class FormEncoding {

    private FormEncoding() {}

    /** One name or value, form-urlencoded as UTF-8 (a space becomes {@code +}). */
    public static String component(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The pairs in their order, {@code name=value} joined with {@code &}. */
    public static String encode(Map<String, String> form) {
        final StringBuilder body = new StringBuilder();
        form.forEach((name, value) -> {
            if (body.length() > 0) body.append('&');
            body.append(component(name)).append('=').append(component(value));
        });
        return body.toString();
    }

    /**
     * The {@code Authorization} header value for HTTP Basic client authentication: id and secret are each
     * form-urlencoded first (RFC 6749 §2.3.1), so a {@code :} in either cannot move the split.
     */
    public static String basicAuthorization(String clientId, String secret) {
        final String pair = component(clientId) + ":" + component(secret == null ? "" : secret);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
