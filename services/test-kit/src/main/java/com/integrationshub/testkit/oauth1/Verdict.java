package com.integrationshub.testkit.oauth1;

/**
 * What the stand-in's check says of a signed request: accepted, or refused with an HTTP status and an
 * {@code oauth_problem} of the OAuth Problem Reporting extension ({@code signature_invalid}, {@code nonce_used},
 * {@code token_rejected}, ...).
 */
public record Verdict(int status, String problem) {

    static final Verdict OK = new Verdict(200, null);

    /** Returns whether the request was accepted. */
    public boolean accepted() {
        return problem == null;
    }
}
