package com.integrationshub.query.security;

import com.integrationshub.query.problem.ProblemResponses;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.Optional;

/**
 * Authorizes every request by its bearer token: /health and the OAuth callback are open; /v1/orgs/{org}/...
 * takes an admin or that org's token; everything else takes an admin token. 401 for a missing or bad token,
 * 403 for a valid token that may not do this.
 */
@ServerFilter("/**")
public class AccessFilter implements io.micronaut.core.order.Ordered {

    private static final String ORGS = "/v1/orgs/";

    private final JwtVerifier verifier;

    public AccessFilter(JwtVerifier verifier) {
        this.verifier = verifier;
    }

    /** Continues (null) or answers the problem that stops the request. */
    @RequestFilter
    @Nullable
    public HttpResponse<?> authorize(HttpRequest<?> request) {
        String path = request.getPath();
        if (isOpen(path)) return null;
        Optional<Caller> caller = request.getHeaders().get(HttpHeaders.AUTHORIZATION, String.class)
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim())
                .flatMap(verifier::verify);
        if (caller.isEmpty()) {
            return ProblemResponses.of(401, "unauthorized", "Unauthorized",
                    "a valid bearer token (HS256 JWT) is required").header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        if (!allowed(caller.get(), path)) {
            return ProblemResponses.of(403, "forbidden", "Forbidden",
                    caller.get().admin() ? "not allowed" : "this token may only act under /v1/orgs/"
                            + caller.get().orgId().orElse("") + "/");
        }
        request.setAttribute(Caller.ATTRIBUTE, caller.get());
        return null;
    }

    /** The order among filters: before anything reads the request. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }

    private static boolean isOpen(String path) {
        return path.equals("/health") || path.startsWith("/health/") || path.equals("/v1/oauth/callback");
    }

    private static boolean allowed(Caller caller, String path) {
        if (caller.admin()) return true;
        if (!path.startsWith(ORGS)) return false;
        int end = path.indexOf('/', ORGS.length());
        String org = end < 0 ? path.substring(ORGS.length()) : path.substring(ORGS.length(), end);
        return caller.mayActFor(org);
    }
}
