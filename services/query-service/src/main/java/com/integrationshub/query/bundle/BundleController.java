package com.integrationshub.query.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.query.apidoc.ApiSchemas;
import com.integrationshub.query.http.Responses;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.route.FanOut;
import com.integrationshub.query.route.Views;
import com.integrationshub.query.security.Forwarding;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.ConnectionState;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/** Configuration as code (admin): GET /v1/export and POST /v1/import?dry_run=true|false. */
@Controller("/v1")
@Tag(name = "Configuration as code", description = "Export and import the hub's configuration (admin)")
@ApiResponse(responseCode = "401", ref = ApiSchemas.UNAUTHORIZED)
@ApiResponse(responseCode = "403", ref = ApiSchemas.FORBIDDEN)
public class BundleController {

    private final FanOut fanOut;
    private final SecretBox box;
    private final BundleImport imports;

    public BundleController(FanOut fanOut, SecretBox box, BundleImport imports) {
        this.fanOut = fanOut;
        this.box = box;
        this.imports = imports;
    }

    /**
     * GET /v1/export → `{"integrations", "oauth_connections", "mappings"}`, every secret left out. Each instance
     * exports what its partitions hold (a forwarded request answers that part as a list); this one assembles them.
     */
    @Get("/export")
    @Operation(operationId = "exportConfiguration", summary = "Exports the configuration without any secret")
    @ApiResponse(
            responseCode = "200",
            description = "The bundle",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.Bundle.class)))
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> export(HttpRequest<?> request) {
        Mono<List<JsonNode>> parts = fanOut.gather(request, this::local);
        if (Forwarding.trusted(request)) {
            return parts.map(items -> {
                ArrayNode array = JsonBody.mapper().createArrayNode();
                items.forEach(array::add);
                return Responses.ok(array);
            });
        }
        return parts.map(items -> Responses.ok(Bundle.assemble(items)));
    }

    /** POST /v1/import?dry_run= → 200 `{"plan": [...], "applied": ...}`; 422 naming the bad item and field. */
    @Post("/import")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "importConfiguration", summary = "Plans, and unless dry_run applies, a bundle")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.Bundle.class)))
    @Parameter(name = "dry_run", description = "true: plan only; false (default): plan and apply")
    @ApiResponse(
            responseCode = "200",
            description = "The plan, and whether it was applied",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.ImportResult.class)))
    @ApiResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @ApiResponse(responseCode = "409", ref = ApiSchemas.CONFLICT)
    @ApiResponse(responseCode = "412", ref = ApiSchemas.STALE_VERSION)
    @ApiResponse(responseCode = "413", ref = ApiSchemas.TOO_LARGE)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> importBundle(
            HttpRequest<?> request, @Nullable @QueryValue("dry_run") String dryRun, @Nullable @Body String body) {
        boolean dry = switch (dryRun == null ? "false" : dryRun) {
            case "false" -> false;
            case "true" -> true;
            default -> throw ProblemException.invalid("dry_run", "must be true or false");
        };
        return imports.run(request, body, dry).map(Responses::ok);
    }

    /** This instance's items of every kind, as {@link Bundle#assemble} reads them. */
    private List<JsonNode> local(Views views) {
        List<JsonNode> items = new ArrayList<>();
        for (ConnectionState c : views.<ConnectionState>localAll(StoreNames.CONNECTIONS, false))
            items.add(Bundle.kindItem(BundleKinds.CONNECTION, BundleItems.connection(c)));
        for (IntegrationState s : views.localIntegrations(false)) {
            items.add(Bundle.kindItem(BundleKinds.INTEGRATION, BundleItems.integration(s, box)));
            for (MappingState m : views.mappings(s.getName(), false)) {
                ObjectNode mapping = BundleItems.mapping(m, s, box);
                items.add(Bundle.kindItem(BundleKinds.MAPPING, mapping));
            }
        }
        return items;
    }
}
