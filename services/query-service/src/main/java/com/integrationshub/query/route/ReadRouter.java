package com.integrationshub.query.route;

import com.integrationshub.query.security.Forwarding;
import com.integrationshub.query.security.InternalToken;
import com.integrationshub.query.store.StoreNotReadyException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.client.ProxyHttpClient;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.streams.state.HostInfo;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Answers a read about an integration where its views live: here, or by forwarding the request to the instance
 * that owns the integration's partition (then to a standby, then a local standby copy, if the owner is down).
 */
@Singleton
public class ReadRouter {

    private static final Logger LOG = LoggerFactory.getLogger(ReadRouter.class);

    private final Views views;
    private final Views immediateViews;
    private final ProxyHttpClient proxy;
    private final InternalToken internalToken;

    public ReadRouter(Views views, ProxyHttpClient proxy, InternalToken internalToken) {
        this.views = views;
        this.immediateViews = views.withoutWaiting();
        this.proxy = proxy;
        this.internalToken = internalToken;
    }

    /**
     * Answers with `local(views, stale)` here, or forwards the request to where the integration lives; fails (a
     * problem, a view not ready) for the problem handlers to answer.
     */
    public Publisher<MutableHttpResponse<?>> answer(
            HttpRequest<?> request, String integrationName, BiFunction<Views, Boolean, MutableHttpResponse<?>> local) {
        return answer(request, integrationName, local, Mono::just);
    }

    /**
     * As {@link #answer(HttpRequest, String, BiFunction)}, then `complete` the locally made answer (e.g. with state of
     * another partition); a forwarded answer was completed by the instance that made it.
     */
    public Publisher<MutableHttpResponse<?>> answer(
            HttpRequest<?> request,
            String integrationName,
            BiFunction<Views, Boolean, MutableHttpResponse<?>> local,
            Function<MutableHttpResponse<?>, Mono<MutableHttpResponse<?>>> complete) {
        // Only another instance's forwarding counts (the access filter checked its internal token).
        boolean forwarded = Forwarding.trusted(request);
        return here(
                        () -> {
                            if (forwarded) return Decision.answerHere(true);
                            Views.Route route = immediateViews.route(integrationName);
                            return route.local() ? Decision.answerHere(false) : Decision.forward(route);
                        },
                        () -> {
                            if (forwarded) return Decision.answerHere(true);
                            Views.Route route = views.route(integrationName);
                            return route.local() ? Decision.answerHere(false) : Decision.forward(route);
                        })
                .flatMap(decision -> decision.route == null
                        ? here(
                                        () -> local.apply(immediateViews, decision.stale),
                                        () -> local.apply(views, decision.stale))
                                .flatMap(complete)
                        : forward(request, decision.route.hosts(), 0, decision.route.standbyHere(), local, complete));
    }

    /** Answers locally, failing fast first and waiting for the stores off the event loop only when needed. */
    public <T> Mono<T> here(Callable<T> fast, Callable<T> waiting) {
        return Mono.fromCallable(fast)
                .onErrorResume(
                        StoreNotReadyException.class,
                        e -> Mono.fromCallable(waiting).subscribeOn(Schedulers.boundedElastic()));
    }

    /** The views, waiting for stores (use off the event loop). */
    public Views views() {
        return views;
    }

    private Mono<MutableHttpResponse<?>> forward(
            HttpRequest<?> request,
            List<HostInfo> hosts,
            int next,
            boolean standbyHere,
            BiFunction<Views, Boolean, MutableHttpResponse<?>> local,
            Function<MutableHttpResponse<?>, Mono<MutableHttpResponse<?>>> complete) {
        if (next >= hosts.size()) {
            if (standbyHere) {
                return here(() -> local.apply(immediateViews, true), () -> local.apply(views, true))
                        .flatMap(complete);
            }
            return Mono.error(new StoreNotReadyException("the instance holding this integration does not answer"));
        }
        HostInfo host = hosts.get(next);
        // A write's read-back is a request built here, which cannot mutate(); a received request must.
        var outgoing = Forwarding.mark(
                (request instanceof MutableHttpRequest<?> built ? built : request.mutate())
                        .uri(b -> b.scheme("http").host(host.host()).port(host.port())),
                internalToken);
        return Mono.<MutableHttpResponse<?>>from(proxy.proxy(outgoing))
                // An instance that cannot answer from its stores (closing, restoring) is passed over like a dead one.
                .flatMap(response -> response.getStatus().getCode() == 503
                        ? Mono.<MutableHttpResponse<?>>error(new StoreNotReadyException(host + " answered 503"))
                        : Mono.<MutableHttpResponse<?>>just(response))
                .onErrorResume(e -> {
                    LOG.warn("forwarding {} to {} failed: {}", request.getPath(), host, e.toString());
                    return forward(request, hosts, next + 1, standbyHere, local, complete);
                });
    }

    private record Decision(Views.Route route, boolean stale) {
        static Decision answerHere(boolean stale) {
            return new Decision(null, stale);
        }

        static Decision forward(Views.Route route) {
            return new Decision(route, false);
        }
    }
}
