package com.integrationshub.query.security;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpHeaders;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterPatternStyle;

/**
 * The browser-facing pages — the console, the hosted connect page and their assets, the OAuth callback's page — get a
 * strict Content-Security-Policy: scripts, styles and requests from this origin only, no inline script or style, no
 * framing, forms posting back here only. Whatever text a page shows (names, descriptions, a provider's error) can
 * then never run as script. Also: no MIME sniffing, a Referer only to this origin (a connect page's URL holds its
 * session token; same-origin rather than none, because under no-referrer Chromium sends a form's POST with
 * "Origin: null", which the server's CORS check refuses on loopback), no caching.
 */
@ServerFilter(value = PageHeadersFilter.PATHS, patternStyle = FilterPatternStyle.REGEX)
public class PageHeadersFilter {

    /** The pages' paths, one regular expression for the reason {@link NoStoreFilter#PATHS} gives. */
    static final String PATHS = "(?s)/console(/.*)?|/connect(/.*)?|/connect-assets(/.*)?|/v1/oauth/callback/?";

    /** The policy of every page. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** Adds the headers to every answer of these paths, problems included. */
    @ResponseFilter
    public void pageHeaders(MutableHttpResponse<?> response) {
        MutableHttpHeaders headers = response.getHeaders();
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "same-origin");
        headers.set("X-Frame-Options", "DENY");
        if (!headers.contains(HttpHeaders.CACHE_CONTROL)) headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
