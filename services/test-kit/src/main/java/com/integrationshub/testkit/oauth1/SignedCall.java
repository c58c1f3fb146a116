package com.integrationshub.testkit.oauth1;

/**
 * A signed call the stand-in received: which endpoint ({@code request_token}, {@code access_token},
 * {@code resource}, {@code check}), the HTTP method and path, the consumer key, token and signature method it
 * named, and the {@code oauth_problem} it was refused with (null: accepted).
 */
public record SignedCall(
        String endpoint,
        String method,
        String path,
        String consumerKey,
        String token,
        String signatureMethod,
        String problem) {

    /** Returns whether the call was accepted. */
    public boolean accepted() {
        return problem == null;
    }
}
