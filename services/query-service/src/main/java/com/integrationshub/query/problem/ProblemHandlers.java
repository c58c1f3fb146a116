package com.integrationshub.query.problem;

import com.integrationshub.query.commands.DecisionTimeoutException;
import com.integrationshub.query.store.StoreNotReadyException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one error path: every failure of request handling, thrown or signalled by a returned publisher, ends here and
 * is answered as problem+json — a {@link ProblemException} as it says, a view not ready here or a decision not come
 * in time as 503 with {@code Retry-After}, the framework's own failures (body too large, unconvertible parameters,
 * ...) by their kind, anything else as a 500 without internals.
 */
@Controller
@Requires(classes = ExceptionHandler.class)
public class ProblemHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandlers.class);

    private final RetryAdvice retry;

    public ProblemHandlers(RetryAdvice retry) {
        this.retry = retry;
    }

    /** A thrown problem. */
    @Error(global = true, exception = ProblemException.class)
    public HttpResponse<?> problem(HttpRequest<?> request, ProblemException e) {
        return ProblemResponses.of(e);
    }

    /** The request is over a server limit before any route took it (Micronaut answers such decoding failures so). */
    @Error(global = true, status = HttpStatus.REQUEST_ENTITY_TOO_LARGE)
    public HttpResponse<?> tooLargeRequest(HttpRequest<?> request) {
        return proxyMarked(
                request,
                ProblemResponses.of(
                        413, "payload-too-large", "Content Too Large", "the request is over a server limit"));
    }

    /** A header or the request line is over micronaut.server.netty.max-header-size (raised while answering 413). */
    @Error(global = true, exception = TooLongFrameException.class)
    public HttpResponse<?> tooLongHeader(HttpRequest<?> request, TooLongFrameException e) {
        return ProblemResponses.of(
                413,
                "payload-too-large",
                "Content Too Large",
                "a header or the request line is over the server's limit");
    }

    /** The body is over the limit. */
    @Error(global = true, exception = ContentLengthExceededException.class)
    public HttpResponse<?> tooLarge(HttpRequest<?> request, ContentLengthExceededException e) {
        return proxyMarked(
                request,
                ProblemResponses.of(
                        413, "payload-too-large", "Content Too Large", "the body is over the server's limit"));
    }

    /**
     * An upload through the proxy over the server's limit may be answered here rather than by the proxy (whichever
     * sees the limit first): still the hub's answer, so marked as the proxy marks its own (API.md, proxy).
     */
    private static MutableHttpResponse<?> proxyMarked(HttpRequest<?> request, MutableHttpResponse<?> response) {
        return PROXY_PATH.matcher(request.getPath()).lookingAt() ? response.header("X-Hub-Proxy", "problem") : response;
    }

    private static final Pattern PROXY_PATH = Pattern.compile("/v1/orgs/[^/]+/integrations/[^/]+/proxy(/|$)");

    /** A request parameter or header that does not convert. */
    @Error(global = true, exception = ConversionErrorException.class)
    public HttpResponse<?> conversion(HttpRequest<?> request, ConversionErrorException e) {
        return ProblemResponses.of(ProblemException.invalid(e.getArgument().getName(), "has the wrong type"));
    }

    /** A required request part is missing. */
    @Error(global = true, exception = UnsatisfiedRouteException.class)
    public HttpResponse<?> unsatisfied(HttpRequest<?> request, UnsatisfiedRouteException e) {
        return ProblemResponses.of(
                ProblemException.malformed("missing " + e.getArgument().getName() + ": " + e.getMessage()));
    }

    /** Anything else: 503 with Retry-After for what a retry fixes, a 500 problem without internals (the log has them). */
    @Error(global = true, exception = Throwable.class)
    public HttpResponse<?> failure(HttpRequest<?> request, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ProblemException p) return ProblemResponses.of(p);
        if (cause instanceof StoreNotReadyException n) {
            return ProblemResponses.of(503, "unavailable", "Service Unavailable", n.getMessage() + "; retry shortly")
                    .header(HttpHeaders.RETRY_AFTER, retry.seconds());
        }
        if (cause instanceof DecisionTimeoutException t) {
            LOG.warn(t.getMessage());
            return ProblemResponses.of(
                            503,
                            "decision-timeout",
                            "Service Unavailable",
                            "the command was sent but no decision arrived in time; retry with the same Idempotency-Key")
                    .header(HttpHeaders.RETRY_AFTER, retry.seconds());
        }
        if (cause instanceof HttpStatusException h && h.getStatus().getCode() < 500) {
            int status = h.getStatus().getCode();
            String type = switch (status) {
                case 404 -> "not-found";
                case 405 -> "method-not-allowed";
                case 413 -> "payload-too-large";
                case 415 -> "unsupported-media-type";
                default -> "bad-request";
            };
            return ProblemResponses.of(status, type, h.getStatus().getReason(), h.getMessage());
        }
        LOG.error("request failed", cause);
        return ProblemResponses.of(500, "internal", "Internal Server Error", "the request failed; see the service log");
    }
}
