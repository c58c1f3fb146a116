package com.integrationshub.query.route;

import com.integrationshub.query.security.InternalToken;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.store.StoreNotReadyException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.state.HostInfo;
import reactor.core.publisher.Mono;

/**
 * Reads one entry of a view wherever it lives: from this instance's stores when it owns the partition of the
 * routing key (integration or connection name), else from the owner's internal endpoint (internal token only; sealed
 * values stay sealed on the wire).
 */
@Hidden
@Controller("/internal/views")
public class StateReader {

    private final ReadRouter router;
    private final HttpClient http;
    private final InternalToken internalToken;

    public StateReader(ReadRouter router, HttpClient http, InternalToken internalToken) {
        this.router = router;
        this.http = http;
        this.internalToken = internalToken;
    }

    /** The entry of `kind` at `key`, in the partition of `routingKey`. */
    public <V extends SpecificRecord> Mono<Optional<V>> get(String kind, String routingKey, String key) {
        return router.here(
                        () -> router.views().withoutWaiting().route(routingKey),
                        () -> router.views().route(routingKey))
                .flatMap(route -> route.local()
                        ? here(kind, routingKey, key, false)
                        : remote(kind, routingKey, key, route.hosts(), 0, route.standbyHere()));
    }

    private <V extends SpecificRecord> Mono<Optional<V>> here(
            String kind, String routingKey, String key, boolean stale) {
        Views views = router.views();
        return router.here(
                () -> views.withoutWaiting().<V>get(kind, routingKey, key, stale),
                () -> views.<V>get(kind, routingKey, key, stale));
    }

    /** GET /internal/views/{kind}/{key}: this instance's entry as Avro JSON (standby copies too), or 404. */
    @Get("/{kind}")
    public MutableHttpResponse<?> local(@PathVariable String kind, @QueryValue String key) {
        Class<? extends SpecificRecord> type = StoreNames.stateType(kind);
        if (type == null) return HttpResponse.notFound();
        Optional<SpecificRecord> value = router.views().get(kind, null, key, true);
        return value.<MutableHttpResponse<?>>map(
                        v -> HttpResponse.ok(encode(v)).contentType(MediaType.APPLICATION_JSON_TYPE))
                .orElseGet(HttpResponse::notFound);
    }

    /** Asks the owner, then its standbys, then a local standby copy; an owner's 404 means there is no such entry. */
    @SuppressWarnings("unchecked")
    private <V extends SpecificRecord> Mono<Optional<V>> remote(
            String kind, String routingKey, String key, List<HostInfo> hosts, int next, boolean standbyHere) {
        if (next >= hosts.size()) {
            if (standbyHere) return here(kind, routingKey, key, true);
            return Mono.error(new StoreNotReadyException("the instance holding this state does not answer"));
        }
        HostInfo host = hosts.get(next);
        String uri = "http://" + host.host() + ":" + host.port() + "/internal/views/" + kind + "?key="
                + URLEncoder.encode(key, StandardCharsets.UTF_8);
        HttpRequest<?> get =
                HttpRequest.GET(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + internalToken.current());
        return Mono.from(http.retrieve(get, String.class))
                .map(body -> Optional.of((V) decode(StoreNames.stateType(kind), body)))
                .onErrorResume(e -> e instanceof HttpClientResponseException answered
                                && answered.getStatus().getCode() == 404
                        ? Mono.just(Optional.empty())
                        : remote(kind, routingKey, key, hosts, next + 1, standbyHere));
    }

    private static String encode(SpecificRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            JsonEncoder encoder = EncoderFactory.get().jsonEncoder(record.getSchema(), out);
            new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a view entry", e);
        }
    }

    private static SpecificRecord decode(Class<? extends SpecificRecord> type, String json) {
        try {
            Schema schema = (Schema) type.getField("SCHEMA$").get(null);
            SpecificDatumReader<SpecificRecord> reader = new SpecificDatumReader<>(schema);
            return reader.read(null, DecoderFactory.get().jsonDecoder(schema, json));
        } catch (IOException | ReflectiveOperationException e) {
            throw new IllegalStateException("cannot decode a view entry from another instance", e);
        }
    }
}
