package com.integrationshub.query.provider;

import com.integrationshub.query.apidoc.ApiSchemas;
import com.integrationshub.query.http.Responses;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.write.WriteRequests;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The provider catalogue (admin): templates of OAuth connections for well-known providers. */
@Controller("/v1/providers")
@Tag(name = "Providers", description = "The catalogue of well-known OAuth providers (admin)")
@ApiResponse(responseCode = "401", ref = ApiSchemas.UNAUTHORIZED)
@ApiResponse(responseCode = "403", ref = ApiSchemas.FORBIDDEN)
public class ProviderController {

    private final ProviderCatalogue catalogue;

    public ProviderController(ProviderCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /** GET /v1/providers → every entry, in the catalogue's order. */
    @Get
    @Operation(operationId = "listProviders", summary = "Lists the provider catalogue")
    @ApiResponse(
            responseCode = "200",
            description = "Every entry",
            content =
                    @Content(
                            mediaType = "application/json",
                            array = @ArraySchema(schema = @Schema(implementation = ApiSchemas.Provider.class))))
    public MutableHttpResponse<?> list() {
        var out = JsonBody.mapper().createArrayNode();
        catalogue.all().forEach(p -> out.add(ProviderJson.render(p)));
        return Responses.ok(out);
    }

    /** GET /v1/providers/{provider} → the entry, or 404. */
    @Get("/{provider}")
    @Operation(operationId = "getProvider", summary = "Reads one provider of the catalogue")
    @ApiResponse(
            responseCode = "200",
            description = "The entry",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.Provider.class)))
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    public MutableHttpResponse<?> get(@PathVariable String provider) {
        WriteRequests.name("provider", provider);
        return catalogue
                .find(provider)
                .map(p -> Responses.ok(ProviderJson.render(p)))
                .orElseThrow(() -> ProblemException.notFound("provider '" + provider + "' is not in the catalogue"));
    }
}
