package com.integrationshub.query.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.common.ConfigField;
import com.integrationshub.common.ConfigFieldType;
import com.integrationshub.domain.config.ConfigSchema;
import com.integrationshub.query.http.ReadRouter;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.streams.Views;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.streams.state.HostInfo;
import reactor.core.publisher.Mono;

/**
 * The current config schema of an integration, wherever its views live: a write needs it to know which values to
 * seal before they leave this instance.
 */
@Singleton
public class IntegrationSchemas {

    private final ReadRouter router;
    private final HttpClient http;

    public IntegrationSchemas(ReadRouter router, HttpClient http) {
        this.router = router;
        this.http = http;
    }

    /** The integration's schema; a 404 problem when it does not exist. */
    public Mono<ConfigSchema> of(HttpRequest<?> write, String name) {
        Views views = router.views();
        Views now = views.withoutWaiting();
        return router.here(() -> now.route(name), () -> views.route(name))
                .flatMap(route -> route.local()
                        ? router.here(() -> local(now, name, false), () -> local(views, name, false))
                        : remote(write, name, route.hosts(), 0, route.standbyHere()));
    }

    private static ConfigSchema local(Views views, String name, boolean stale) {
        return new ConfigSchema(views.integration(name, stale)
                .orElseThrow(() -> ProblemException.notFound("integration '" + name + "' does not exist"))
                .getConfigSchema());
    }

    /**
     * Asks the instances holding the integration in turn with the plain client. Not through the read router: its
     * proxied answer streams the body on to a caller and cannot be read here, which left the schema empty, so
     * secrets went out unsealed and every typed value was refused.
     */
    private Mono<ConfigSchema> remote(HttpRequest<?> write, String name, List<HostInfo> hosts, int next,
                                      boolean standbyHere) {
        if (next >= hosts.size()) {
            if (!standbyHere) return Mono.error(unavailable());
            Views views = router.views();
            return router.here(() -> local(views.withoutWaiting(), name, true), () -> local(views, name, true));
        }
        HostInfo host = hosts.get(next);
        var get = HttpRequest.GET("http://" + host.host() + ":" + host.port() + "/v1/integrations/" + name)
                .header(ReadRouter.FORWARDED, "1");
        write.getHeaders().get(HttpHeaders.AUTHORIZATION, String.class).ifPresent(a -> get.header(HttpHeaders.AUTHORIZATION, a));
        return Mono.from(http.retrieve(get, String.class)).map(IntegrationSchemas::parse)
                .onErrorResume(error -> !(error instanceof ProblemException), error -> {
                    if (!(error instanceof HttpClientResponseException answered)) {
                        return remote(write, name, hosts, next + 1, standbyHere);
                    }
                    return Mono.error(answered.getStatus().getCode() == 404
                            ? ProblemException.notFound("integration '" + name + "' does not exist") : unavailable());
                });
    }

    private static ProblemException unavailable() {
        return ProblemException.unavailable("the integration's schema could not be read; retry shortly");
    }

    private static ConfigSchema parse(String integrationJson) {
        try {
            JsonNode node = JsonBody.mapper().readTree(integrationJson);
            List<ConfigField> fields = new ArrayList<>();
            node.path("config_schema").forEach(f -> fields.add(new ConfigField(f.path("key").asText(),
                    ConfigFieldType.valueOf(f.path("type").asText().toUpperCase(Locale.ROOT)),
                    f.path("required").asBoolean(false))));
            return new ConfigSchema(fields);
        } catch (Exception e) {
            throw ProblemException.unavailable("the integration's schema could not be read; retry shortly");
        }
    }
}
