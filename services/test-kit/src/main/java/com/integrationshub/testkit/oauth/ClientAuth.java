package com.integrationshub.testkit.oauth;

/** How a registered client authenticates at the token endpoint (RFC 6749 §2.3.1); the other way is refused. */
public enum ClientAuth {
    /** HTTP Basic with the form-urlencoded client id and secret. */
    BASIC,
    /** {@code client_id} and {@code client_secret} as form fields of the token request. */
    POST
}
