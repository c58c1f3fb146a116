package com.integrationshub.oauth.client;

/** How the hub authenticates as the OAuth client at a token endpoint (RFC 6749 §2.3.1). */
public enum ClientAuthentication {
    /** {@code client_secret_basic}: HTTP Basic with the form-urlencoded client id and secret. */
    BASIC,
    /** {@code client_secret_post}: {@code client_id} and {@code client_secret} in the request body. */
    POST
}
