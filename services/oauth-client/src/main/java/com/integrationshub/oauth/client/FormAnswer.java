package com.integrationshub.oauth.client;

import java.nio.charset.StandardCharsets;

/**
 * What an OAuth 1.0a credentials request (RFC 5849 §2.1, §2.3) came to: the provider's status and form-encoded body,
 * or, when no answer came, the hub's short failure code ({@code timeout}, {@code connect_failed}, a guard refusal,
 * {@code redirect_refused} for a 3xx, never followed). The body is the provider's and may hold secrets: never log it.
 */
public record FormAnswer(int status, String body, String failure) {

    static FormAnswer answered(int status, byte[] body) {
        if (status >= 300 && status < 400) return failed("redirect_refused");
        return new FormAnswer(status, new String(body, StandardCharsets.UTF_8), null);
    }

    static FormAnswer failed(String reason) {
        return new FormAnswer(0, null, reason);
    }

    /** Whether the provider answered 2xx. */
    public boolean succeeded() {
        return failure == null && status >= 200 && status < 300;
    }

    @Override
    public String toString() {
        return failure != null ? "FormAnswer[" + failure + "]" : "FormAnswer[" + status + "]";
    }
}
