package com.integrationshub.query.security;

import com.integrationshub.domain.Names;
import com.integrationshub.query.problem.ProblemResponses;
import com.integrationshub.runtime.security.AdminPrincipal;
import com.integrationshub.runtime.security.JwtVerifier;
import com.integrationshub.runtime.security.RequestPaths;
import com.integrationshub.runtime.security.VerifiedToken;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.Optional;
import java.util.Set;

/**
 * Authorizes every request by its bearer token: /health (details for admins only), the OAuth callback, the OpenAPI
 * document (/openapi.yml) and Swagger UI (/docs, /docs/...) are open — the last two describe the API, no secrets;
 * /internal/... takes only another instance's internal token; /v1/orgs/{org}/... takes an admin or that org's token,
 * {org} compared percent-decoded, as the controllers read it; everything else takes an admin token. 401 for a missing
 * or bad token, 403 for a valid token that may not do this. A request marked {@link Forwarding#HEADER} counts as
 * forwarded only with a valid internal token in {@link Forwarding#INSTANCE_TOKEN}. Without an Authorization header, a
 * console session cookie ({@link ConsoleSessions}) makes the request an admin's, and then every write (not GET, HEAD
 * or OPTIONS) must carry the session's CSRF token in {@link ConsoleSessions#CSRF_HEADER}, else 403. The console's and
 * the connect page's assets and /connect/... (which checks its own session token) are open.
 */
@ServerFilter("/**")
public class AccessFilter implements Ordered {

    private static final String ORGS = "/v1/orgs/";
    private static final String INTERNAL = "/internal/";
    private static final Set<HttpMethod> SAFE_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final JwtVerifier verifier;
    private final ConsoleSessions consoleSessions;

    public AccessFilter(JwtVerifier verifier, ConsoleSessions consoleSessions) {
        this.verifier = verifier;
        this.consoleSessions = consoleSessions;
    }

    /** Continues (null) or answers the problem that stops the request. */
    @RequestFilter
    @Nullable
    public HttpResponse<?> authorize(HttpRequest<?> request) {
        String path = request.getPath();
        Optional<String> bearer = JwtVerifier.bearer(request.getHeaders().get(HttpHeaders.AUTHORIZATION));
        boolean ambiguous = RequestPaths.ambiguous(path);
        if (isOpen(path) && !ambiguous) {
            // Open to anyone; an admin token only adds /health's details.
            bearer.flatMap(verifier::verify)
                    .filter(VerifiedToken::admin)
                    .ifPresent(admin -> new AdminPrincipal(admin.subject()).attachTo(request));
            return null;
        }
        if ((path.startsWith(INTERNAL) || path.equals("/internal")) && !ambiguous) {
            if (bearer.map(verifier::verifyInternal).orElse(false)) return null;
            return bearer.flatMap(verifier::verify).isPresent()
                    ? ProblemResponses.of(
                            403, "forbidden", "Forbidden", "only the service's own instances call /internal/")
                    : unauthorized();
        }
        final Caller caller;
        Optional<Cookie> session = request.getCookies().findCookie(ConsoleSessions.COOKIE);
        if (bearer.isEmpty() && !request.getHeaders().contains(HttpHeaders.AUTHORIZATION) && session.isPresent()) {
            Optional<ConsoleSessions.Session> signedIn =
                    consoleSessions.verify(session.get().getValue());
            if (signedIn.isEmpty()) return unauthorized();
            if (!SAFE_METHODS.contains(request.getMethod())
                    && !signedIn.get().csrfMatches(request.getHeaders().get(ConsoleSessions.CSRF_HEADER))) {
                return ProblemResponses.of(
                        403,
                        "csrf",
                        "Forbidden",
                        "a write signed in by the console's cookie needs the session's " + ConsoleSessions.CSRF_HEADER
                                + " header");
            }
            caller = new Caller(signedIn.get().subject(), true, Optional.empty());
        } else {
            Optional<VerifiedToken> token = bearer.flatMap(verifier::verify);
            if (token.isEmpty()) return unauthorized();
            caller = new Caller(
                    token.get().subject(), token.get().admin(), token.get().orgId());
        }
        if (!allowed(caller, path)) {
            return ProblemResponses.of(
                    403,
                    "forbidden",
                    "Forbidden",
                    caller.admin()
                            ? "not allowed"
                            : "this token may only act under /v1/orgs/"
                                    + caller.orgId().orElse("") + "/");
        }
        request.setAttribute(Caller.ATTRIBUTE, caller);
        if (caller.admin()) new AdminPrincipal(caller.subject()).attachTo(request);
        if (request.getHeaders().contains(Forwarding.HEADER)
                && request.getHeaders()
                        .get(Forwarding.INSTANCE_TOKEN, String.class)
                        .map(verifier::verifyInternal)
                        .orElse(false)) {
            request.setAttribute(Forwarding.TRUSTED, true);
        }
        return null;
    }

    /** The order among filters: before anything reads the request. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }

    private static HttpResponse<?> unauthorized() {
        return ProblemResponses.of(401, "unauthorized", "Unauthorized", "a valid bearer token (HS256 JWT) is required")
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }

    private static boolean isOpen(String path) {
        return path.equals("/health")
                || path.startsWith("/health/")
                || path.equals("/v1/oauth/callback")
                || path.equals("/openapi.yml")
                || path.equals("/docs")
                || path.startsWith("/docs/")
                // The console's pages and sign-in (its session is the cookie, checked here for /v1 and by
                // ConsoleController for /console/session and /console/logout).
                || path.equals("/console")
                || path.startsWith("/console/")
                // The hosted connect page and its assets; /connect/... checks its own session token.
                || path.startsWith("/connect/")
                || path.startsWith("/connect-assets/");
    }

    private static boolean allowed(Caller caller, String path) {
        if (caller.admin()) return true;
        if (!path.startsWith(ORGS)) return false;
        // A dot segment or an encoded slash could step out of the org's subtree wherever a path gets normalized.
        if (RequestPaths.ambiguous(path)) return false;
        int end = path.indexOf('/', ORGS.length());
        String org = end < 0 ? path.substring(ORGS.length()) : path.substring(ORGS.length(), end);
        // The controllers read the decoded segment: compare that one, and only when it is a valid name.
        return RequestPaths.decode(org)
                .filter(Names::valid)
                .map(caller::mayActFor)
                .orElse(false);
    }
}
