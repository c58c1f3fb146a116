package com.integrationshub.client;

/**
 * Where the client gets the bearer token (an HS256 JWT) it sends with every request. Asked once per request, so a
 * source may rotate tokens. In a Micronaut application, a bean of this type is used by the injected client.
 */
@FunctionalInterface
public interface BearerTokenSource {

    /** Returns the token to send now, without the {@code Bearer } prefix; null or blank sends none. */
    String token();
}
