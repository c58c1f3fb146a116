package com.integrationshub.runtime.security;

import io.micronaut.http.HttpAttributes;
import io.micronaut.http.HttpRequest;
import java.security.Principal;

/**
 * An admin caller as the management endpoints see it: /health shows its details only to a request that carries
 * one (details-visible: AUTHENTICATED), and only the access filters set it, for a verified admin token.
 *
 * @param name the token's subject
 */
public record AdminPrincipal(String name) implements Principal {

    @Override
    public String getName() {
        return name;
    }

    /** Marks the request as sent by this admin. */
    @SuppressWarnings("deprecation")
    public void attachTo(HttpRequest<?> request) {
        request.setAttribute(HttpAttributes.PRINCIPAL, this);
    }
}
