package com.integrationshub.query.http;

import com.integrationshub.query.commands.CommandGateway;
import com.integrationshub.query.problem.ProblemResponses;
import com.integrationshub.replies.CommandOutcome;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/** Sends a write's command and answers once it is decided: the rejection as a problem, or the new state. */
@Singleton
public class CommandResponder {

    private final CommandGateway gateway;
    private final Duration retryAfter;

    public CommandResponder(CommandGateway gateway, @Value("${hub.commands.retry-after}") Duration retryAfter) {
        this.gateway = gateway;
        this.retryAfter = retryAfter;
    }

    /** Sends the command; an accepted one is answered by `onAccepted`, a rejected one by its problem. */
    public Publisher<MutableHttpResponse<?>> execute(String partitionKey, String commandId, SpecificRecord command,
                                                     Function<CommandOutcome, Publisher<MutableHttpResponse<?>>> onAccepted) {
        return Mono.fromFuture(() -> gateway.send(partitionKey, commandId, command))
                .flatMap(outcome -> outcome.getAccepted()
                        ? Mono.from(onAccepted.apply(outcome))
                        : Mono.<MutableHttpResponse<?>>just(ProblemResponses.of(outcome.getProblem())))
                .onErrorResume(error -> Mono.<MutableHttpResponse<?>>just(ProblemResponses.fromFailure(error, retryAfter)));
    }

    /** A read-back request for the resource a write changed, carrying the writer's credentials. */
    public static HttpRequest<?> readBack(HttpRequest<?> write, String path) {
        var get = HttpRequest.GET(path);
        write.getHeaders().get(HttpHeaders.AUTHORIZATION, String.class).ifPresent(a -> get.header(HttpHeaders.AUTHORIZATION, a));
        return get;
    }

    /** The read-back answer with the write's status (e.g. 201) when the read-back found the resource. */
    public static Publisher<MutableHttpResponse<?>> withStatus(Publisher<MutableHttpResponse<?>> readBack,
                                                               io.micronaut.http.HttpStatus status) {
        return Mono.from(readBack).map(r -> r.getStatus().getCode() == 200 ? r.status(status) : r);
    }
}
