package com.integrationshub.query.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.integrationshub.query.http.Responses;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.security.Forwarding;
import com.integrationshub.query.security.InternalToken;
import com.integrationshub.query.store.StoreNotReadyException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.client.HttpClient;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Answers a list that spans every partition: each instance lists what its own stores hold, this one gathers them.
 * A request marked forwarded answers only its local part.
 */
@Singleton
public class FanOut {

    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);
    /** On a forwarded list request: the partitions the receiving instance answers. */
    static final String PARTITIONS = "X-Hub-Partitions";

    private final ReadRouter router;
    private final HttpClient http;
    private final InternalToken internalToken;

    public FanOut(ReadRouter router, HttpClient http, InternalToken internalToken) {
        this.router = router;
        this.http = http;
        this.internalToken = internalToken;
    }

    /**
     * Every partition's `local(views)` items, concatenated: each instance is asked for the partitions it is active
     * for (as this instance last heard), this one's standby copies answer partitions without an active owner.
     */
    public Mono<List<JsonNode>> gather(HttpRequest<?> request, Function<Views, List<JsonNode>> local) {
        Views views = router.views();
        if (Forwarding.trusted(request)) {
            // The gathering instance names the partitions it asks of this one; without the header (an older
            // instance in a rolling upgrade), every partition this one is active for.
            String asked = request.getHeaders().get(PARTITIONS);
            Views part = asked == null ? views : views.onActive(partitions(asked));
            return Mono.fromCallable(() -> local.apply(part)).subscribeOn(Schedulers.boundedElastic());
        }
        return Mono.fromCallable(views::listPlan)
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(plan -> {
                    List<Mono<List<JsonNode>>> parts = new ArrayList<>();
                    plan.active()
                            .forEach((host, partitions) -> parts.add(
                                    host.equals(views.self())
                                            ? locally(() -> local.apply(views.onActive(partitions)))
                                            : remote(request, host, partitions)
                                                    .onErrorResume(
                                                            StoreNotReadyException.class,
                                                            unanswered -> fromStandbys(
                                                                    views, partitions, local, unanswered))));
                    if (!plan.standbyHere().isEmpty()) {
                        parts.add(locally(() -> local.apply(views.onStandbys(plan.standbyHere()))));
                    }
                    return Flux.merge(parts);
                })
                .collectList()
                .map(parts -> {
                    List<JsonNode> all = new ArrayList<>();
                    parts.forEach(all::addAll);
                    return all;
                });
    }

    /** Every instance's items as one JSON array sorted by `field`, answered 200; fails for the problem handlers. */
    public Mono<MutableHttpResponse<?>> sortedList(
            HttpRequest<?> request, String field, Function<Views, List<JsonNode>> local) {
        return gather(request, local).map(items -> {
            ArrayNode array = JsonBody.mapper().createArrayNode();
            items.stream()
                    .sorted(Comparator.comparing(n -> n.get(field).asText()))
                    .forEach(array::add);
            return Responses.ok(array);
        });
    }

    /**
     * The part of a host that does not answer (e.g. it is going away and the rebalance has not handed its partitions
     * over yet), from this instance's standby copies of its partitions, when they are all here; else the failure.
     */
    private Mono<List<JsonNode>> fromStandbys(
            Views views,
            Set<Integer> theirs,
            Function<Views, List<JsonNode>> local,
            StoreNotReadyException unanswered) {
        return locally(() -> {
            if (!views.localStandbyPartitions().containsAll(theirs)) throw unanswered;
            LOG.warn("{}; answering its partitions {} from standby copies", unanswered.getMessage(), theirs);
            return local.apply(views.onStandbys(theirs));
        });
    }

    private static Mono<List<JsonNode>> locally(Callable<List<JsonNode>> part) {
        return Mono.fromCallable(part).subscribeOn(Schedulers.boundedElastic());
    }

    /** The partitions a forwarded list request names; a malformed value is the caller's fault (400). */
    private static Set<Integer> partitions(String header) {
        Set<Integer> found = new TreeSet<>();
        for (String p : header.split(",", 1025)) {
            try {
                int partition = Integer.parseInt(p.trim());
                if (partition < 0) throw new NumberFormatException();
                found.add(partition);
            } catch (NumberFormatException e) {
                throw ProblemException.malformed(PARTITIONS + " must list partition numbers");
            }
        }
        return found;
    }

    private Mono<List<JsonNode>> remote(HttpRequest<?> request, HostInfo host, Set<Integer> partitions) {
        String uri = "http://" + host.host() + ":" + host.port() + request.getUri();
        var get = Forwarding.mark(HttpRequest.GET(uri), internalToken);
        get.header(PARTITIONS, partitions.stream().map(String::valueOf).collect(Collectors.joining(",")));
        Forwarding.copyCallerCredentials(request, get);
        return Mono.from(http.retrieve(get, String.class))
                .map(body -> {
                    try {
                        ArrayNode array = (ArrayNode) JsonBody.mapper().readTree(body);
                        List<JsonNode> items = new ArrayList<>();
                        array.forEach(items::add);
                        return items;
                    } catch (Exception e) {
                        throw new IllegalStateException("instance " + host + " answered a list that does not parse", e);
                    }
                })
                .onErrorMap(
                        e -> !(e instanceof IllegalStateException),
                        e -> new StoreNotReadyException(
                                "instance " + host + " does not answer its part of the list: " + e));
    }
}
