package com.integrationshub.query.problem;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Gives every error answer the problem+json shape: the framework's own (no route, wrong method, unsupported media
 * type) are rewritten; the service's problems pass unchanged, so their details survive.
 */
@ServerFilter("/**")
public class ProblemFilter {

    /** Rewrites an error answer that is not a problem yet. */
    @ResponseFilter
    public void toProblem(HttpRequest<?> request, MutableHttpResponse<?> response) {
        int status = response.getStatus().getCode();
        // /health answers 503 with its own report of what is down; that body is the point.
        if (status < 400 || request.getPath().startsWith("/health")) return;
        boolean problem = response.getContentType().map(t -> t.getName().equals(ProblemResponses.PROBLEM_JSON.getName()))
                .orElse(false);
        if (problem) return;
        MutableHttpResponse<String> rewritten = switch (status) {
            case 404 -> ProblemResponses.of(404, "not-found", "Not Found", "no resource at " + request.getPath());
            case 405 -> ProblemResponses.of(405, "method-not-allowed", "Method Not Allowed",
                    request.getMethodName() + " is not allowed on " + request.getPath());
            case 415 -> ProblemResponses.of(415, "unsupported-media-type", "Unsupported Media Type",
                    "send the body as application/json");
            case 413 -> ProblemResponses.of(413, "payload-too-large", "Content Too Large", "the body is over the server's limit");
            default -> ProblemResponses.of(status, status >= 500 ? "internal" : "bad-request",
                    HttpStatus.valueOf(status).getReason(), "the request could not be served");
        };
        response.contentType(MediaType.of(ProblemResponses.PROBLEM_JSON.getName()));
        @SuppressWarnings("unchecked")
        MutableHttpResponse<Object> body = (MutableHttpResponse<Object>) response;
        body.body(rewritten.body());
    }
}
