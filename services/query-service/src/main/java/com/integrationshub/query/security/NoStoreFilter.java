package com.integrationshub.query.security;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * {@code Cache-Control: no-store} on every response that can carry a secret (API.md, Conventions): the org's view and
 * list, credentials, the global view, connect answers (their redirect URL holds the state), the OAuth callback and
 * the internal reads, connect sessions (their token opens the connect page).
 * Keyed on the route so that a problem answer of these routes (e.g. not-authorized with its authorize_url) has it too.
 */
@ServerFilter({
    "/v1/orgs/*/integrations",
    "/v1/orgs/*/integrations/*",
    "/v1/orgs/*/integrations/*/credentials",
    "/v1/orgs/*/integrations/*/connect",
    "/v1/orgs/*/integrations/*/sign",
    "/v1/integrations/*/global",
    "/v1/oauth/connections/*/connect",
    "/v1/oauth/callback",
    "/v1/orgs/*/connect-sessions",
    "/internal/**"
})
public class NoStoreFilter {

    /** Forbids caches to keep the response. */
    @ResponseFilter
    public void noStore(MutableHttpResponse<?> response) {
        response.getHeaders().set(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
