package com.integrationshub.query.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.commands.RemoveIntegrationSpec;
import com.integrationshub.commands.SetIntegrationSpec;
import com.integrationshub.common.FieldError;
import com.integrationshub.domain.Names;
import com.integrationshub.query.apidoc.ApiSchemas;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.route.ReadRouter;
import com.integrationshub.query.write.CommandResponder;
import com.integrationshub.query.write.WriteRequests;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Providers' OpenAPI documents: set, read and remove one per integration (admin), and an org's view of it that
 * calls the provider through the hub's proxy with a hub token.
 */
@Tag(name = "Provider specs", description = "Providers' OpenAPI documents")
@ApiResponse(responseCode = "401", ref = ApiSchemas.UNAUTHORIZED)
@ApiResponse(responseCode = "403", ref = ApiSchemas.FORBIDDEN)
@Controller
public class SpecController {

    private static final String SPEC_VERSION = OrgSpecs.SPEC_VERSION;
    private static final String YAML = "application/yaml";

    private final ReadRouter router;
    private final CommandResponder commands;
    private final SpecStore store;
    private final SpecSettings settings;
    private final ProviderSpecParser parser;
    private final OrgSpecs specs;
    private final Clock clock;

    public SpecController(
            ReadRouter router,
            CommandResponder commands,
            SpecStore store,
            SpecSettings settings,
            OrgSpecs specs,
            Clock clock) {
        this.router = router;
        this.commands = commands;
        this.store = store;
        this.settings = settings;
        this.parser = settings.parser();
        this.specs = specs;
        this.clock = clock;
    }

    /** PUT /v1/integrations/{name}/openapi → 200 {version, title, operations}; 422 with the parser's messages. */
    @Put("/v1/integrations/{name}/openapi")
    @Consumes({MediaType.APPLICATION_JSON, YAML, "application/x-yaml", "text/yaml"})
    @Operation(operationId = "setIntegrationSpec", summary = "Sets the provider's OpenAPI 3.0/3.1 document")
    @RequestBody(
            required = true,
            content = {
                @Content(mediaType = "application/json", schema = @Schema(type = "object")),
                @Content(mediaType = YAML, schema = @Schema(type = "string"))
            })
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, ref = ApiSchemas.IF_MATCH)
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, ref = ApiSchemas.IDEMPOTENCY_KEY)
    @ApiResponse(
            responseCode = "200",
            description = "The document's spec version, title and number of operations",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.SpecSummary.class)))
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "412", ref = ApiSchemas.STALE_VERSION)
    @ApiResponse(responseCode = "413", ref = ApiSchemas.TOO_LARGE)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> put(
            HttpRequest<?> request, @PathVariable String name, @Nullable @Body byte[] body) {
        WriteRequests.name("name", name);
        if (body != null && body.length > settings.maxBytes()) {
            throw ProblemException.tooLarge(
                    "the document is " + body.length + " bytes, over the limit of " + settings.maxBytes() + " bytes");
        }
        boolean yaml = request.getContentType()
                .map(t -> t.getSubtype().contains("yaml"))
                .orElse(false);
        return Mono.fromCallable(() -> parse(body, yaml))
                .subscribeOn(Schedulers.boundedElastic())
                .map(spec -> {
                    int chunks = store.write(spec);
                    String commandId = WriteRequests.commandId(
                            request,
                            SetIntegrationSpec.class,
                            Names.integrationAggregate(name),
                            "{\"spec_digest\":\"" + spec.digest() + "\"}");
                    SetIntegrationSpec command = SetIntegrationSpec.newBuilder()
                            .setCommandId(commandId)
                            .setIssuedAt(clock.instant())
                            .setIssuedBy(WriteRequests.issuedBy(request))
                            .setExpectedVersion(WriteRequests.expectedVersion(request))
                            .setName(name)
                            .setSpecDigest(spec.digest())
                            .setSpecTitle(spec.title())
                            .setSpecOperations(spec.operations())
                            .setSpecBytes(spec.json().length)
                            .setSpecChunks(chunks)
                            .build();
                    return command;
                })
                .flatMap(command -> Mono.from(commands.execute(name, command.getCommandId(), command, outcome -> {
                    HttpRequest<?> get = CommandResponder.readBack(request, "/v1/integrations/" + name + "/openapi");
                    return Mono.from(router.answer(get, name, (views, stale) -> specs.document(views, name, stale)))
                            .map(r -> summary(r, command));
                })));
    }

    /** GET /v1/integrations/{name}/openapi → the document as JSON; 404 if none. */
    @Get("/v1/integrations/{name}/openapi")
    @Operation(operationId = "getIntegrationSpec", summary = "The provider's OpenAPI document, as JSON")
    @ApiResponse(
            responseCode = "200",
            description = "The document as uploaded (YAML turned into JSON)",
            content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> get(HttpRequest<?> request, @PathVariable String name) {
        WriteRequests.name("name", name);
        return Mono.from(router.answer(request, name, (views, stale) -> specs.document(views, name, stale)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** DELETE /v1/integrations/{name}/openapi → 204; 404 if the integration has no document. */
    @Delete("/v1/integrations/{name}/openapi")
    @Operation(operationId = "deleteIntegrationSpec", summary = "Removes the provider's OpenAPI document")
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, ref = ApiSchemas.IF_MATCH)
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, ref = ApiSchemas.IDEMPOTENCY_KEY)
    @ApiResponse(responseCode = "204", description = "Removed")
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "412", ref = ApiSchemas.STALE_VERSION)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> delete(HttpRequest<?> request, @PathVariable String name) {
        WriteRequests.name("name", name);
        String commandId =
                WriteRequests.commandId(request, RemoveIntegrationSpec.class, Names.integrationAggregate(name), null);
        RemoveIntegrationSpec command = RemoveIntegrationSpec.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(clock.instant())
                .setIssuedBy(WriteRequests.issuedBy(request))
                .setExpectedVersion(WriteRequests.expectedVersion(request))
                .setName(name)
                .build();
        return commands.execute(name, commandId, command, outcome -> Mono.just(HttpResponse.noContent()));
    }

    /** GET /v1/orgs/{org_id}/integrations/{name}/openapi → the document, servers = the org's proxy, hub bearer. */
    @Get("/v1/orgs/{org_id}/integrations/{name}/openapi")
    @Operation(
            operationId = "getOrgIntegrationSpec",
            summary = "The provider's OpenAPI document as this org calls it: through the proxy, with a hub token")
    @ApiResponse(
            responseCode = "200",
            description = "The document with servers set to the org's proxy URL and one bearer scheme",
            content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> orgView(
            HttpRequest<?> request, @PathVariable("org_id") String orgId, @PathVariable String name) {
        WriteRequests.name("org_id", orgId);
        WriteRequests.name("name", name);
        return specs.answer(
                request,
                orgId,
                name,
                doc -> Mono.just(doc.headers(
                        HttpResponse.ok(doc.view().toString()).contentType(MediaType.APPLICATION_JSON_TYPE))));
    }

    private ProviderSpec parse(@Nullable byte[] body, boolean yaml) {
        try {
            return parser.parse(body, yaml);
        } catch (InvalidSpecException e) {
            List<FieldError> errors = e.messages().isEmpty()
                    ? List.of(new FieldError("body", e.getMessage()))
                    : e.messages().stream().map(m -> new FieldError("body", m)).toList();
            throw ProblemException.invalid(errors);
        }
    }

    private static MutableHttpResponse<?> summary(MutableHttpResponse<?> readBack, SetIntegrationSpec command) {
        if (readBack.getStatus().getCode() != 200) return readBack;
        ObjectNode out = JsonBody.mapper().createObjectNode();
        out.put("version", Long.parseLong(readBack.getHeaders().get(SPEC_VERSION)));
        out.put("title", command.getSpecTitle());
        out.put("operations", command.getSpecOperations());
        return HttpResponse.ok(out.toString())
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.ETAG, readBack.getHeaders().get(HttpHeaders.ETAG));
    }
}
