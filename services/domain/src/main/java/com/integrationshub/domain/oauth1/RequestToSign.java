package com.integrationshub.domain.oauth1;

import java.util.List;
import java.util.Objects;

/**
 * An HTTP request as far as its signature goes: the method, the URL as it will be sent (its query included) and
 * the decoded {@code application/x-www-form-urlencoded} body parameters (empty for any other body).
 */
public record RequestToSign(String method, String url, List<Parameter> form) {

    public RequestToSign {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        form = List.copyOf(form);
    }

    /** Returns a request without form parameters. */
    public static RequestToSign of(String method, String url) {
        return new RequestToSign(method, url, List.of());
    }
}
