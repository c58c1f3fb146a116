package com.integrationshub.query.mapping;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.integrationshub.commands.DeleteMapping;
import com.integrationshub.commands.UpsertMapping;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.query.apidoc.ApiSchemas;
import com.integrationshub.query.http.Responses;
import com.integrationshub.query.integration.IntegrationSchemas;
import com.integrationshub.query.json.ConfigJson;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.route.ReadRouter;
import com.integrationshub.query.route.Views;
import com.integrationshub.query.write.CommandResponder;
import com.integrationshub.query.write.WriteRequests;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.Set;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/** An integration's org mappings (admin): upsert, read, list (by entity id too), delete. */
@Tag(name = "Mappings", description = "Mappings of orgs to their external tenants (admin)")
@ApiResponse(responseCode = "401", ref = ApiSchemas.UNAUTHORIZED)
@ApiResponse(responseCode = "403", ref = ApiSchemas.FORBIDDEN)
@Controller("/v1/integrations/{name}/mappings")
@Consumes(MediaType.APPLICATION_JSON)
public class MappingController {

    private static final Set<String> FIELDS = Set.of("entity_id", "entity_name", "config", "oauth_token_id");

    private final ReadRouter router;
    private final CommandResponder commands;
    private final SecretBox box;
    private final IntegrationSchemas schemas;
    private final Clock clock;

    public MappingController(
            ReadRouter router, CommandResponder commands, SecretBox box, IntegrationSchemas schemas, Clock clock) {
        this.clock = clock;
        this.router = router;
        this.schemas = schemas;
        this.commands = commands;
        this.box = box;
    }

    /** PUT .../mappings/{org_id} → 201 (new) or 200 IntegrationMappingResponse. */
    @Put("/{org_id}")
    @Operation(operationId = "upsertMapping", summary = "Creates or replaces an org's mapping")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.MappingRequest.class),
                            examples = @ExampleObject(name = "example", value = ApiSchemas.MAPPING_EXAMPLE)))
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, ref = ApiSchemas.IF_MATCH)
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, ref = ApiSchemas.IDEMPOTENCY_KEY)
    @ApiResponse(
            responseCode = "201",
            description = "The new mapping",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.IntegrationMappingResponse.class)))
    @ApiResponse(
            responseCode = "200",
            description = "The replaced mapping",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.IntegrationMappingResponse.class)))
    @ApiResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "412", ref = ApiSchemas.STALE_VERSION)
    @ApiResponse(responseCode = "413", ref = ApiSchemas.TOO_LARGE)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> upsert(
            HttpRequest<?> request,
            @PathVariable String name,
            @PathVariable("org_id") String orgId,
            @Nullable @Body String body) {
        WriteRequests.name("name", name);
        WriteRequests.name("org_id", orgId);
        JsonBody json = JsonBody.parse(body).allowOnly(FIELDS);
        String entityId = json.requiredString("entity_id");
        String entityName = json.optionalString("entity_name");
        String tokenId = json.optionalString("oauth_token_id");
        var config = json.optionalObject("config");
        json.throwIfInvalid();
        return schemas.of(name).flatMap(schema -> {
            var values = ConfigJson.fromJson(
                    config.orElseGet(() -> JsonBody.mapper().createObjectNode()),
                    "config",
                    schema,
                    box,
                    key -> SecretPlaces.mappingOverride(name, orgId, key),
                    json);
            json.throwIfInvalid();
            String commandId =
                    WriteRequests.commandId(request, UpsertMapping.class, Names.mappingAggregate(name, orgId), body);
            UpsertMapping command = UpsertMapping.newBuilder()
                    .setCommandId(commandId)
                    .setIssuedAt(clock.instant())
                    .setIssuedBy(WriteRequests.issuedBy(request))
                    .setExpectedVersion(WriteRequests.expectedVersion(request))
                    .setIntegrationName(name)
                    .setOrgId(orgId)
                    .setEntityId(entityId)
                    .setEntityName(entityName)
                    .setConfig(values)
                    .setOauthTokenId(tokenId)
                    .build();
            return Mono.from(commands.execute(name, commandId, command, outcome -> {
                // A re-created mapping starts above its deleted predecessor's versions: `created` tells.
                boolean created = outcome.getCreated() != null
                        ? outcome.getCreated()
                        : outcome.getVersion() != null && outcome.getVersion() == 1;
                HttpStatus status = created ? HttpStatus.CREATED : HttpStatus.OK;
                return CommandResponder.withStatus(readBack(request, name, orgId), status);
            }));
        });
    }

    /** GET .../mappings[?entity_id=X] → every mapping of the integration, or those of one entity. */
    @Get
    @Operation(operationId = "listMappings", summary = "Lists the mappings of an integration")
    @ApiResponse(
            responseCode = "200",
            description = "Every mapping, or those of one entity",
            content =
                    @Content(
                            mediaType = "application/json",
                            array =
                                    @ArraySchema(
                                            schema =
                                                    @Schema(
                                                            implementation =
                                                                    ApiSchemas.IntegrationMappingResponse.class))))
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> list(
            HttpRequest<?> request, @PathVariable String name, @Nullable @QueryValue("entity_id") String entityId) {
        WriteRequests.name("name", name);
        return router.answer(request, name, (views, stale) -> {
            IntegrationState integration = integration(views, name, stale);
            ArrayNode array = JsonBody.mapper().createArrayNode();
            for (MappingState m : views.mappings(name, stale)) {
                if (entityId == null || entityId.equals(m.getEntityId()))
                    array.add(MappingJson.render(m, integration, box));
            }
            return Responses.ok(array);
        });
    }

    /** GET .../mappings/{org_id} → IntegrationMappingResponse or 404. */
    @Get("/{org_id}")
    @Operation(operationId = "getMapping", summary = "Reads an org's mapping")
    @ApiResponse(
            responseCode = "200",
            description = "The mapping",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.IntegrationMappingResponse.class)))
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> get(
            HttpRequest<?> request, @PathVariable String name, @PathVariable("org_id") String orgId) {
        WriteRequests.name("name", name);
        WriteRequests.name("org_id", orgId);
        return router.answer(request, name, (views, stale) -> render(views, name, orgId, stale));
    }

    /** DELETE .../mappings/{org_id} → 204 or 404. */
    @Delete("/{org_id}")
    @Operation(operationId = "deleteMapping", summary = "Deletes an org's mapping")
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, ref = ApiSchemas.IF_MATCH)
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, ref = ApiSchemas.IDEMPOTENCY_KEY)
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "412", ref = ApiSchemas.STALE_VERSION)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> delete(
            HttpRequest<?> request, @PathVariable String name, @PathVariable("org_id") String orgId) {
        WriteRequests.name("name", name);
        WriteRequests.name("org_id", orgId);
        String commandId =
                WriteRequests.commandId(request, DeleteMapping.class, Names.mappingAggregate(name, orgId), null);
        DeleteMapping command = DeleteMapping.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(clock.instant())
                .setIssuedBy(WriteRequests.issuedBy(request))
                .setExpectedVersion(WriteRequests.expectedVersion(request))
                .setIntegrationName(name)
                .setOrgId(orgId)
                .build();
        return commands.execute(name, commandId, command, outcome -> Mono.just(HttpResponse.noContent()));
    }

    private Publisher<MutableHttpResponse<?>> readBack(HttpRequest<?> write, String name, String orgId) {
        HttpRequest<?> get = CommandResponder.readBack(write, "/v1/integrations/" + name + "/mappings/" + orgId);
        return router.answer(get, name, (views, stale) -> render(views, name, orgId, stale));
    }

    private MutableHttpResponse<?> render(Views views, String name, String orgId, boolean stale) {
        IntegrationState integration = integration(views, name, stale);
        MappingState mapping = views.mapping(name, orgId, stale)
                .orElseThrow(() ->
                        ProblemException.notFound("org '" + orgId + "' has no mapping for integration '" + name + "'"));
        return Responses.ok(MappingJson.render(mapping, integration, box), mapping.getVersion());
    }

    private static IntegrationState integration(Views views, String name, boolean stale) {
        return views.integration(name, stale)
                .orElseThrow(() -> ProblemException.notFound("integration '" + name + "' does not exist"));
    }
}
