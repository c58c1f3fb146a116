package com.integrationshub.query.orgview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.query.apidoc.ApiSchemas;
import com.integrationshub.query.http.Responses;
import com.integrationshub.query.oauth.OAuthFlowSettings;
import com.integrationshub.query.oauth.OAuthMaterial;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.route.FanOut;
import com.integrationshub.query.route.ReadRouter;
import com.integrationshub.query.route.Views;
import com.integrationshub.query.security.Caller;
import com.integrationshub.query.security.Forwarding;
import com.integrationshub.query.write.WriteRequests;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/** The hot path: an org's merged view of an integration, the global view, and every integration of an org. */
@Tag(name = "Org view", description = "The org's view of its integrations (the hot path)")
@ApiResponse(responseCode = "401", ref = ApiSchemas.UNAUTHORIZED)
@ApiResponse(responseCode = "403", ref = ApiSchemas.FORBIDDEN)
@Controller
public class OrgViewController {

    private final ReadRouter router;
    private final FanOut fanOut;
    private final SecretBox box;
    private final OAuthMaterial material;
    private final Duration oauthWait;
    private final OrgViewCache cache;

    public OrgViewController(
            ReadRouter router,
            FanOut fanOut,
            SecretBox box,
            OAuthMaterial material,
            OAuthFlowSettings oauth,
            OrgViewCache cache) {
        this.router = router;
        this.cache = cache;
        this.material = material;
        this.oauthWait = oauth.refreshWait();
        this.fanOut = fanOut;
        this.box = box;
    }

    /** GET /v1/orgs/{org_id}/integrations/{name} → IntegrationData (reveals secrets) or 404. */
    @Get("/v1/orgs/{org_id}/integrations/{name}")
    @Operation(operationId = "getOrgIntegration", summary = "An org's merged view of an integration (reveals secrets)")
    @ApiResponse(
            responseCode = "200",
            description = "The defaults overlaid by the org's overrides, and the OAuth material",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.IntegrationData.class),
                            examples = @ExampleObject(name = "HaloPSA", value = ApiSchemas.INTEGRATION_DATA_EXAMPLE)))
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> orgView(
            HttpRequest<?> request, @PathVariable("org_id") String orgId, @PathVariable String name) {
        WriteRequests.name("org_id", orgId);
        WriteRequests.name("name", name);
        return cachedOr(
                request,
                new OrgViewCache.Key(name, orgId, admin(request)),
                keep -> router.answer(
                        request,
                        name,
                        (views, stale) -> HttpResponse.ok(new Parts(
                                integration(views, name, stale),
                                views.mapping(name, orgId, stale),
                                stale ? null : keep)),
                        response -> complete(request, response, orgId)));
    }

    /** GET /v1/integrations/{name}/global → IntegrationData of the global scope (admin, reveals secrets). */
    @Get("/v1/integrations/{name}/global")
    @Operation(
            operationId = "getGlobalIntegration",
            summary = "The global view of an integration (admin, reveals secrets)")
    @ApiResponse(
            responseCode = "200",
            description = "The defaults and the connection's global token",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.IntegrationData.class)))
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> global(HttpRequest<?> request, @PathVariable String name) {
        WriteRequests.name("name", name);
        return cachedOr(
                request,
                new OrgViewCache.Key(name, null, admin(request)),
                keep -> router.answer(
                        request,
                        name,
                        (views, stale) -> HttpResponse.ok(
                                new Parts(integration(views, name, stale), Optional.empty(), stale ? null : keep)),
                        response -> complete(request, response, null)));
    }

    /**
     * The view kept by the cache while it is what the stores hold; else `read`, told how the view it renders may be
     * kept (null for a request another instance forwarded: its reads may be of standby copies; a stale read passes
     * null on, as it is never kept).
     */
    private Publisher<MutableHttpResponse<?>> cachedOr(
            HttpRequest<?> request, OrgViewCache.Key key, Function<Keep, Publisher<MutableHttpResponse<?>>> read) {
        if (Forwarding.trusted(request)) return read.apply(null);
        Optional<OrgViewEntry> kept = cache.find(key);
        if (kept.isPresent())
            return Mono.just(Responses.ok(kept.get().body(), kept.get().version()));
        return read.apply(new Keep(key, cache.ticket()));
    }

    /** GET /v1/orgs/{org_id}/integrations → IntegrationData of every integration mapped to the org. */
    @Get("/v1/orgs/{org_id}/integrations")
    @Operation(operationId = "listOrgIntegrations", summary = "Every integration mapped to the org (reveals secrets)")
    @ApiResponse(
            responseCode = "200",
            description = "The org's views, by name",
            content =
                    @Content(
                            mediaType = "application/json",
                            array = @ArraySchema(schema = @Schema(implementation = ApiSchemas.IntegrationData.class))))
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> orgIntegrations(
            HttpRequest<?> request, @PathVariable("org_id") String orgId) {
        WriteRequests.name("org_id", orgId);
        return fanOut.sortedList(request, "name", views -> {
            List<JsonNode> found = new ArrayList<>();
            for (IntegrationState integration : views.localIntegrations(false)) {
                Optional<MappingState> mapping = views.mapping(integration.getName(), orgId, false);
                if (mapping.isPresent()) {
                    // Runs off the event loop (FanOut), so waiting for the OAuth side here is fine.
                    Optional<ObjectNode> oauth = material.find(request, integration, mapping, orgId)
                            .map(m -> m.map(one -> material.json(one, admin(request))))
                            .block(oauthWait);
                    found.add(IntegrationDataJson.render(integration, mapping, box, oauth));
                }
            }
            return found;
        });
    }

    private Mono<MutableHttpResponse<?>> complete(
            HttpRequest<?> request, MutableHttpResponse<?> response, String orgId) {
        if (!(response.body() instanceof Parts parts)) return Mono.just(response);
        return material.find(request, parts.integration(), parts.mapping(), orgId)
                .<MutableHttpResponse<?>>map(found -> {
                    String body = IntegrationDataJson.render(
                                    parts.integration(),
                                    parts.mapping(),
                                    box,
                                    found.map(m -> material.json(m, admin(request))))
                            .toString();
                    long version = IntegrationDataJson.version(parts.integration(), parts.mapping());
                    if (parts.keep() != null) {
                        cache.keep(
                                parts.keep().ticket(),
                                parts.keep().key(),
                                body,
                                version,
                                parts.integration(),
                                parts.mapping(),
                                found);
                    }
                    return Responses.ok(body, version);
                });
    }

    /** Whether an admin token sent the request: only admins receive the platform's OAuth keys. */
    private static boolean admin(HttpRequest<?> request) {
        return request.getAttribute(Caller.ATTRIBUTE, Caller.class)
                .map(Caller::admin)
                .orElse(false);
    }

    /** What the partition of the integration holds for the view; the OAuth side is added after. */
    private record Parts(IntegrationState integration, Optional<MappingState> mapping, Keep keep) {}

    /** Under which key, and after which ticket, the view a read renders may be kept. */
    private record Keep(OrgViewCache.Key key, OrgViewTicket ticket) {}

    private static IntegrationState integration(Views views, String name, boolean stale) {
        return views.integration(name, stale)
                .orElseThrow(() -> ProblemException.notFound("integration '" + name + "' does not exist"));
    }
}
