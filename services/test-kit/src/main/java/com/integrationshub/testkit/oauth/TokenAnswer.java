package com.integrationshub.testkit.oauth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the token endpoint answers to one call, and what the call log records of it.
 *
 * @param status            the HTTP status
 * @param error             the {@code error} code, or null for a success
 * @param body              the JSON body
 * @param family            the token family the call belongs to, or null
 * @param clientId          the authenticated client, or null when authentication did not get that far
 * @param presentedVerifier the PKCE code verifier the call presented, or null
 * @param reusedRefreshToken the used refresh token the call presented again, or null
 */
record TokenAnswer(
        int status,
        String error,
        Map<String, Object> body,
        String family,
        String clientId,
        String presentedVerifier,
        String reusedRefreshToken) {

    /** A 200 with tokens. */
    static TokenAnswer ok(Map<String, Object> body, String family) {
        return new TokenAnswer(200, null, body, family, null, null, null);
    }

    /** An RFC 6749 §5.2 error answer. */
    static TokenAnswer error(int status, String error, String description, String family) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return new TokenAnswer(status, error, Collections.unmodifiableMap(body), family, null, null, null);
    }

    /** This answer, made for an authenticated client. */
    TokenAnswer forClient(String id) {
        return new TokenAnswer(status, error, body, family, id, presentedVerifier, reusedRefreshToken);
    }

    /** This answer, to a call that presented a PKCE code verifier. */
    TokenAnswer withVerifier(String verifier) {
        return new TokenAnswer(status, error, body, family, clientId, verifier, reusedRefreshToken);
    }

    /** This answer, to a call that presented a used refresh token again. */
    TokenAnswer withReuse(String refreshToken) {
        return new TokenAnswer(status, error, body, family, clientId, presentedVerifier, refreshToken);
    }
}
