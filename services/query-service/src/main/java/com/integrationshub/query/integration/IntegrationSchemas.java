package com.integrationshub.query.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.common.ConfigField;
import com.integrationshub.common.ConfigFieldType;
import com.integrationshub.domain.config.ConfigSchema;
import com.integrationshub.query.http.CommandResponder;
import com.integrationshub.query.http.ReadRouter;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import reactor.core.publisher.Mono;

/**
 * The current config schema of an integration, wherever its views live: a write needs it to know which values to
 * seal before they leave this instance.
 */
@Singleton
public class IntegrationSchemas {

    private final ReadRouter router;

    public IntegrationSchemas(ReadRouter router) {
        this.router = router;
    }

    /** The integration's schema; a 404 problem when it does not exist. */
    public Mono<ConfigSchema> of(HttpRequest<?> write, String name) {
        HttpRequest<?> get = CommandResponder.readBack(write, "/v1/integrations/" + name);
        return Mono.from(router.answer(get, name, (views, stale) -> {
                    var state = views.integration(name, stale)
                            .orElseThrow(() -> ProblemException.notFound("integration '" + name + "' does not exist"));
                    return io.micronaut.http.HttpResponse.ok(new ConfigSchema(state.getConfigSchema()));
                }))
                .map(response -> {
                    Object body = response.body();
                    if (body instanceof ConfigSchema schema) return schema;
                    if (response.getStatus().getCode() == 404) {
                        throw ProblemException.notFound("integration '" + name + "' does not exist");
                    }
                    if (response.getStatus().getCode() != 200) {
                        throw ProblemException.unavailable("the integration's schema could not be read; retry shortly");
                    }
                    return parse(response.getBody(String.class).orElse("{}"));
                });
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
