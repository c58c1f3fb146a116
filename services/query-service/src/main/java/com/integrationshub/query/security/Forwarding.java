package com.integrationshub.query.security;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;

/**
 * How one instance hands a read to another: the request keeps the caller's own token (the receiver authorizes the
 * caller as usual) and adds {@link #HEADER} with the sender's internal token in {@link #INSTANCE_TOKEN}. The receiver
 * answers from its own stores only when that internal token verifies; a client's {@link #HEADER} alone is ignored.
 */
public final class Forwarding {

    /** Marks a forwarded request: the receiver answers from its own stores, standby copies included. */
    public static final String HEADER = "X-Hub-Forwarded";
    /** The sending instance's internal token, which makes {@link #HEADER} count. */
    public static final String INSTANCE_TOKEN = "X-Hub-Instance-Token";
    /** The request attribute the access filter sets on a forwarded request it trusts. */
    static final String TRUSTED = "hub.forwarded";

    private Forwarding() {}

    /** Whether the request was forwarded by another instance (checked by the access filter), not just marked so. */
    public static boolean trusted(HttpRequest<?> request) {
        return request.getAttribute(TRUSTED, Boolean.class).orElse(false);
    }

    /**
     * Gives a request this instance sends on behalf of a caller (a fan-out, a write's read-back) the caller's own
     * credentials: the Authorization header, or the console's session cookie.
     */
    public static void copyCallerCredentials(HttpRequest<?> from, MutableHttpRequest<?> to) {
        from.getHeaders()
                .get(HttpHeaders.AUTHORIZATION, String.class)
                .ifPresent(a -> to.header(HttpHeaders.AUTHORIZATION, a));
        // The header as it came (a request built here has no parsed cookies to ask for).
        from.getHeaders().get(HttpHeaders.COOKIE, String.class).ifPresent(c -> to.header(HttpHeaders.COOKIE, c));
    }

    /** Marks an outgoing request as forwarded by this instance. */
    public static <T extends MutableHttpRequest<?>> T mark(T request, InternalToken token) {
        // set, not add: a value the client sent must not come first.
        request.getHeaders().set(HEADER, "1");
        request.getHeaders().set(INSTANCE_TOKEN, token.current());
        return request;
    }
}
