package com.integrationshub.query.problem;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import io.netty.handler.codec.TooLongFrameException;

/** Turns exceptions (thrown problems, body too large, unconvertible parameters, ...) into problem+json. */
@Controller
@Requires(classes = ExceptionHandler.class)
public class ProblemHandlers {

    /** A thrown problem. */
    @Error(global = true, exception = ProblemException.class)
    public HttpResponse<?> problem(HttpRequest<?> request, ProblemException e) {
        return ProblemResponses.of(e);
    }




    /** The request is over a server limit before any route took it (Micronaut answers such decoding failures so). */
    @Error(global = true, status = HttpStatus.REQUEST_ENTITY_TOO_LARGE)
    public HttpResponse<?> tooLargeRequest(HttpRequest<?> request) {
        return ProblemResponses.of(413, "payload-too-large", "Content Too Large", "the request is over a server limit");
    }

    /** A header or the request line is over micronaut.server.netty.max-header-size (raised while answering 413). */
    @Error(global = true, exception = TooLongFrameException.class)
    public HttpResponse<?> tooLongHeader(HttpRequest<?> request, TooLongFrameException e) {
        return ProblemResponses.of(413, "payload-too-large", "Content Too Large",
                "a header or the request line is over the server's limit");
    }

    /** The body is over the limit. */
    @Error(global = true, exception = ContentLengthExceededException.class)
    public HttpResponse<?> tooLarge(HttpRequest<?> request, ContentLengthExceededException e) {
        return ProblemResponses.of(413, "payload-too-large", "Content Too Large", "the body is over the server's limit");
    }

    /** A request parameter or header that does not convert. */
    @Error(global = true, exception = ConversionErrorException.class)
    public HttpResponse<?> conversion(HttpRequest<?> request, ConversionErrorException e) {
        return ProblemResponses.of(ProblemException.invalid(e.getArgument().getName(), "has the wrong type"));
    }

    /** Anything unexpected: a 500 problem without internals (the log has them). */
    @Error(global = true, exception = Throwable.class)
    public HttpResponse<?> unexpected(HttpRequest<?> request, Throwable e) {
        return ProblemResponses.fromFailure(e, java.time.Duration.ofSeconds(1));
    }

    /** A required request part is missing. */
    @Error(global = true, exception = UnsatisfiedRouteException.class)
    public HttpResponse<?> unsatisfied(HttpRequest<?> request, UnsatisfiedRouteException e) {
        return ProblemResponses.of(ProblemException.malformed(
                "missing " + e.getArgument().getName() + ": " + e.getMessage()));
    }
}
