package com.integrationshub.query.security;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterPatternStyle;

/**
 * {@code Cache-Control: no-store} on every response that can carry a secret (API.md, Conventions): the org's view and
 * list, credentials, the global view, connect answers (their redirect URL holds the state), the OAuth callback and
 * the internal reads, connect sessions (their token opens the connect page).
 * Keyed on the route so that a problem answer of these routes (e.g. not-authorized with its authorize_url) has it too.
 */
@ServerFilter(value = NoStoreFilter.PATHS, patternStyle = FilterPatternStyle.REGEX)
public class NoStoreFilter {

    /**
     * The paths, as one regular expression rather than ten Ant patterns: Micronaut matches every filter's patterns
     * against every request, and its Ant matcher splits pattern and path anew each time (a few per cent of a write's
     * CPU); a regular expression is compiled once. A trailing slash and an empty segment match too: no-store on a
     * path the router may not answer costs nothing. (?s): a decoded path may hold a line break.
     */
    static final String PATHS = "(?s)/v1/orgs/[^/]*/integrations(/[^/]*(/(credentials|connect|sign))?)?/?"
            + "|/v1/integrations/[^/]*/global/?"
            + "|/v1/oauth/connections/[^/]*/connect/?"
            + "|/v1/oauth/callback/?"
            + "|/v1/orgs/[^/]*/connect-sessions/?"
            + "|/internal(/.*)?";

    /** Forbids caches to keep the response. */
    @ResponseFilter
    public void noStore(MutableHttpResponse<?> response) {
        response.getHeaders().set(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
