package com.integrationshub.refresher;

import io.micronaut.runtime.Micronaut;

/** Starts the token refresher, which keeps OAuth tokens fresh with their providers. */
public final class TokenRefresherApplication {

    private TokenRefresherApplication() {}

    public static void main(String[] args) {
        Micronaut.run(TokenRefresherApplication.class, args);
    }
}
