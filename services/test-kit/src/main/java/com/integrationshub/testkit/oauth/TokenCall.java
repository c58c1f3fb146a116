package com.integrationshub.testkit.oauth;

import java.time.Instant;

/**
 * One call to a token endpoint, as the stand-in saw it.
 *
 * @param at           when it arrived
 * @param path         the request path, e.g. {@code /tenant-1/token}
 * @param grantType    the {@code grant_type} field, or null
 * @param clientId     the authenticated (or claimed) client id, or null
 * @param refreshToken the {@code refresh_token} field of a refresh call, else null
 * @param family       the token family the call belongs to (code exchange and refreshes), else null
 * @param status       the HTTP status answered
 * @param error        the {@code error} code answered, or null for a success
 */
public record TokenCall(
        Instant at,
        String path,
        String grantType,
        String clientId,
        String refreshToken,
        String family,
        int status,
        String error) {

    /** Whether the call was answered with tokens. */
    public boolean succeeded() {
        return status == 200;
    }
}
