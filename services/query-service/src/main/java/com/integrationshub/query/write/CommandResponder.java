package com.integrationshub.query.write;

import com.integrationshub.domain.Problems;
import com.integrationshub.query.commands.CommandGateway;
import com.integrationshub.query.commands.CommandSettings;
import com.integrationshub.query.http.Responses;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.security.Forwarding;
import com.integrationshub.replies.CommandOutcome;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Sends a write's command and answers once it is decided: the new state, or fails with the rejection's
 * {@link ProblemException} (a decision not come in time fails with the gateway's exception); the problem handlers
 * answer failures.
 */
@Singleton
public class CommandResponder {

    private static final Duration READ_BACK_PAUSE = Duration.ofMillis(20);

    private final CommandGateway gateway;
    private final long readBackAttempts;

    public CommandResponder(CommandGateway gateway, CommandSettings settings) {
        this.gateway = gateway;
        this.readBackAttempts = Math.max(1, settings.decisionTimeout().toMillis() / READ_BACK_PAUSE.toMillis());
    }

    /** Sends the command; an accepted one is answered by `onAccepted`, a rejected one fails with its problem. */
    public Publisher<MutableHttpResponse<?>> execute(
            String partitionKey,
            String commandId,
            SpecificRecord command,
            Function<CommandOutcome, Publisher<MutableHttpResponse<?>>> onAccepted) {
        return Mono.fromFuture(() -> gateway.send(partitionKey, commandId, command))
                // The outcome arrives on the outcome listener's thread; answer elsewhere so it keeps reading outcomes.
                .publishOn(Schedulers.parallel())
                .flatMap(outcome -> outcome.getAccepted()
                        ? readBackAtLeast(outcome, onAccepted)
                        : Mono.<MutableHttpResponse<?>>error(ProblemException.rejected(outcome.getProblem())));
    }

    /**
     * The answer to an accepted command once the views show its version. The outcome commits with the view change,
     * so the first read-back normally shows it; one answered by a store that is behind (a standby's copy while the
     * owner changes) is read again until the resource is at the decided version or newer (a read-back that finds
     * nothing yet, 404, is behind too; after the last attempt its answer or failure stands).
     */
    private Mono<MutableHttpResponse<?>> readBackAtLeast(
            CommandOutcome outcome, Function<CommandOutcome, Publisher<MutableHttpResponse<?>>> onAccepted) {
        return Mono.defer(() -> Mono.from(onAccepted.apply(outcome)))
                .flatMap(response -> shows(response, outcome.getVersion())
                        ? Mono.<MutableHttpResponse<?>>just(response)
                        : Mono.error(new Behind(response, null)))
                .onErrorMap(
                        ProblemException.class,
                        e -> e.status() == HttpStatus.NOT_FOUND.getCode() ? new Behind(null, e) : e)
                .retryWhen(Retry.fixedDelay(readBackAttempts, READ_BACK_PAUSE)
                        .filter(Behind.class::isInstance)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .onErrorResume(
                        Behind.class,
                        behind -> behind.response != null ? Mono.just(behind.response) : Mono.error(behind.notFound));
    }

    /** Whether a read-back shows the decided version (or a newer one); answers without a version pass. */
    private static boolean shows(MutableHttpResponse<?> response, Long version) {
        if (response.getStatus().getCode() == 404) return false;
        String etag = response.getHeaders().get(HttpHeaders.ETAG);
        if (version == null || etag == null || response.getStatus().getCode() >= 300) return true;
        try {
            return Long.parseLong(etag.replace("\"", "")) >= version;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** A read-back that does not show the decided version yet: its answer, or the 404 it failed with. */
    private static final class Behind extends RuntimeException {
        private final transient MutableHttpResponse<?> response;
        private final ProblemException notFound;

        Behind(MutableHttpResponse<?> response, ProblemException notFound) {
            super(null, null, false, false);
            this.response = response;
            this.notFound = notFound;
        }
    }

    /** A read-back request for the resource a write changed, carrying the writer's credentials. */
    public static HttpRequest<?> readBack(HttpRequest<?> write, String path) {
        var get = HttpRequest.GET(path);
        Forwarding.copyCallerCredentials(write, get);
        return get;
    }

    /**
     * The answer to a write that changes nothing (an empty PATCH): no command, no event, the version stays. The
     * current resource is read back; an If-Match that is not its version still answers 412.
     */
    public static Publisher<MutableHttpResponse<?>> unchanged(
            Publisher<MutableHttpResponse<?>> readBack, Long expectedVersion) {
        return Mono.from(readBack).map(r -> {
            if (expectedVersion == null || r.getStatus().getCode() != 200) return r;
            String etag = r.getHeaders().get(HttpHeaders.ETAG);
            if (Responses.etag(expectedVersion).equals(etag)) return r;
            throw ProblemException.rejected(
                    Problems.staleVersion(expectedVersion, etag == null ? null : Long.valueOf(etag.replace("\"", ""))));
        });
    }

    /** The read-back answer with the write's status (e.g. 201) when the read-back found the resource. */
    public static Publisher<MutableHttpResponse<?>> withStatus(
            Publisher<MutableHttpResponse<?>> readBack, HttpStatus status) {
        return Mono.from(readBack).map(r -> r.getStatus().getCode() == 200 ? r.status(status) : r);
    }
}
