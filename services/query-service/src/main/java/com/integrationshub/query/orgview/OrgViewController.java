package com.integrationshub.query.orgview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.integrationshub.query.http.FanOut;
import com.integrationshub.query.http.ReadRouter;
import com.integrationshub.query.http.Responses;
import com.integrationshub.query.http.WriteRequests;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.problem.ProblemResponses;
import com.integrationshub.query.streams.Views;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/** The hot path: an org's merged view of an integration, the global view, and every integration of an org. */
@Controller
public class OrgViewController {

    private final ReadRouter router;
    private final FanOut fanOut;
    private final SecretBox box;
    private final Duration retryAfter;

    public OrgViewController(ReadRouter router, FanOut fanOut, SecretBox box,
                             @Value("${hub.commands.retry-after}") Duration retryAfter) {
        this.router = router;
        this.fanOut = fanOut;
        this.box = box;
        this.retryAfter = retryAfter;
    }

    /** GET /v1/orgs/{org_id}/integrations/{name} → IntegrationData (reveals secrets) or 404. */
    @Get("/v1/orgs/{org_id}/integrations/{name}")
    public Publisher<MutableHttpResponse<?>> orgView(HttpRequest<?> request, @PathVariable("org_id") String orgId,
                                                     @PathVariable String name) {
        WriteRequests.name("org_id", orgId);
        WriteRequests.name("name", name);
        return router.answer(request, name, (views, stale) -> {
            IntegrationState integration = integration(views, name, stale);
            Optional<MappingState> mapping = views.mapping(name, orgId, stale);
            return Responses.ok(IntegrationDataJson.render(integration, mapping, box),
                    IntegrationDataJson.version(integration, mapping));
        });
    }

    /** GET /v1/integrations/{name}/global → IntegrationData of the global scope (admin, reveals secrets). */
    @Get("/v1/integrations/{name}/global")
    public Publisher<MutableHttpResponse<?>> global(HttpRequest<?> request, @PathVariable String name) {
        WriteRequests.name("name", name);
        return router.answer(request, name, (views, stale) -> {
            IntegrationState integration = integration(views, name, stale);
            return Responses.ok(IntegrationDataJson.render(integration, Optional.empty(), box),
                    IntegrationDataJson.version(integration, Optional.empty()));
        });
    }

    /** GET /v1/orgs/{org_id}/integrations → IntegrationData of every integration mapped to the org. */
    @Get("/v1/orgs/{org_id}/integrations")
    public Publisher<MutableHttpResponse<?>> orgIntegrations(HttpRequest<?> request, @PathVariable("org_id") String orgId) {
        WriteRequests.name("org_id", orgId);
        return fanOut.gather(request, views -> {
                    List<JsonNode> found = new ArrayList<>();
                    for (IntegrationState integration : views.localIntegrations(false)) {
                        views.mapping(integration.getName(), orgId, false).ifPresent(m ->
                                found.add(IntegrationDataJson.render(integration, Optional.of(m), box)));
                    }
                    return found;
                })
                .<MutableHttpResponse<?>>map(items -> {
                    ArrayNode array = JsonBody.mapper().createArrayNode();
                    items.stream().sorted(Comparator.comparing(n -> n.get("name").asText())).forEach(array::add);
                    return Responses.ok(array);
                })
                .onErrorResume(e -> Mono.<MutableHttpResponse<?>>just(ProblemResponses.fromFailure(e, retryAfter)));
    }

    private static IntegrationState integration(Views views, String name, boolean stale) {
        return views.integration(name, stale)
                .orElseThrow(() -> ProblemException.notFound("integration '" + name + "' does not exist"));
    }
}
