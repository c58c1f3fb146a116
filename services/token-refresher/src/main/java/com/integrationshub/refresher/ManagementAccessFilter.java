package com.integrationshub.refresher;

import com.integrationshub.runtime.security.AdminPrincipal;
import com.integrationshub.runtime.security.JwtVerifier;
import com.integrationshub.runtime.security.RequestPaths;
import com.integrationshub.runtime.security.VerifiedToken;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.Optional;

/**
 * The refresher serves only management endpoints: /health is open (its details for an admin token only); every
 * other one (/refresher, /beans, /threaddump, /routes, /refresh, ...) takes an admin token, checked by the same rules as
 * query-service's. 401 for a missing or bad token, 403 for a valid one that is not an admin's.
 */
@ServerFilter("/**")
public class ManagementAccessFilter implements Ordered {

    private final JwtVerifier verifier;

    public ManagementAccessFilter(JwtVerifier verifier) {
        this.verifier = verifier;
    }

    /** Continues (null) or answers the problem that stops the request. */
    @RequestFilter
    @Nullable
    public HttpResponse<?> authorize(HttpRequest<?> request) {
        String path = request.getPath();
        Optional<VerifiedToken> token = JwtVerifier.bearer(request.getHeaders().get(HttpHeaders.AUTHORIZATION))
                .flatMap(verifier::verify);
        token.filter(VerifiedToken::admin).ifPresent(admin -> new AdminPrincipal(admin.subject()).attachTo(request));
        if ((path.equals("/health") || path.startsWith("/health/")) && !RequestPaths.ambiguous(path)) return null;
        if (token.isEmpty()) {
            return problem(401, "unauthorized", "Unauthorized", "a valid admin bearer token (HS256 JWT) is required")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        if (!token.get().admin())
            return problem(403, "forbidden", "Forbidden", "management endpoints take an admin token");
        return null;
    }

    /** The order among filters: before anything reads the request. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }

    private static io.micronaut.http.MutableHttpResponse<?> problem(
            int status, String type, String title, String detail) {
        String body = "{\"type\":\"https://integrations-hub.dev/problems/" + type + "\",\"title\":\"" + title
                + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}";
        return HttpResponse.status(io.micronaut.http.HttpStatus.valueOf(status))
                .body(body)
                .contentType(MediaType.of("application/problem+json"));
    }
}
