package com.integrationshub.query.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.commands.CreateIntegration;
import com.integrationshub.commands.DeleteIntegration;
import com.integrationshub.commands.SetIntegrationDefaults;
import com.integrationshub.commands.UpdateIntegration;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.ConfigField;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.domain.config.ConfigSchema;
import com.integrationshub.domain.integration.IntegrationDecider;
import com.integrationshub.query.apidoc.ApiSchemas;
import com.integrationshub.query.http.Responses;
import com.integrationshub.query.json.ConfigJson;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.route.FanOut;
import com.integrationshub.query.route.ReadRouter;
import com.integrationshub.query.route.Views;
import com.integrationshub.query.write.CommandResponder;
import com.integrationshub.query.write.WriteRequests;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.IntegrationState;
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
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Integrations (admin): create, read, list, change, set defaults, delete, history. */
@Tag(name = "Integrations", description = "Integrations (admin)")
@ApiResponse(responseCode = "401", ref = ApiSchemas.UNAUTHORIZED)
@ApiResponse(responseCode = "403", ref = ApiSchemas.FORBIDDEN)
@Controller("/v1/integrations")
@Consumes(MediaType.APPLICATION_JSON)
public class IntegrationController {

    private static final Set<String> CREATE_FIELDS = Set.of(
            "name",
            "description",
            "auth_scheme",
            "entity_id_name",
            "config_schema",
            "oauth_connection",
            "credential_headers",
            "proxy_base_url_key");
    private static final Set<String> DEFAULTS_FIELDS = Set.of("config");

    private final ReadRouter router;
    private final FanOut fanOut;
    private final CommandResponder commands;
    private final SecretBox box;
    private final IntegrationHistory history;
    private final IntegrationSchemas schemas;
    private final Clock clock;

    public IntegrationController(
            ReadRouter router,
            FanOut fanOut,
            CommandResponder commands,
            SecretBox box,
            IntegrationHistory history,
            IntegrationSchemas schemas,
            Clock clock) {
        this.clock = clock;
        this.schemas = schemas;
        this.router = router;
        this.fanOut = fanOut;
        this.commands = commands;
        this.box = box;
        this.history = history;
    }

    /** POST /v1/integrations → 201 Integration, 409 if the name exists. */
    @Post
    @Operation(operationId = "createIntegration", summary = "Creates an integration")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.NewIntegration.class),
                            examples = @ExampleObject(name = "example", value = ApiSchemas.NEW_INTEGRATION_EXAMPLE)))
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, ref = ApiSchemas.IDEMPOTENCY_KEY)
    @ApiResponse(
            responseCode = "201",
            description = "The new integration",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.Integration.class)))
    @ApiResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @ApiResponse(responseCode = "409", ref = ApiSchemas.CONFLICT)
    @ApiResponse(responseCode = "413", ref = ApiSchemas.TOO_LARGE)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> create(HttpRequest<?> request, @Nullable @Body String body) {
        JsonBody json = JsonBody.parse(body).allowOnly(CREATE_FIELDS);
        String name = json.requiredName("name");
        String description = json.optionalString("description");
        AuthScheme scheme = IntegrationJson.readAuthScheme(json, "auth_scheme");
        String entityIdName = json.optionalString("entity_id_name");
        List<ConfigField> schema = IntegrationJson.readSchema(json, "config_schema");
        String oauthConnection = json.optionalName("oauth_connection");
        Map<String, String> headers = IntegrationJson.headers(json);
        String proxyBaseUrlKey = json.optionalName("proxy_base_url_key");
        json.errors(ConfigSchema.checkDefinition(schema, "config_schema"));
        json.throwIfInvalid();
        String commandId =
                WriteRequests.commandId(request, CreateIntegration.class, Names.integrationAggregate(name), body);
        CreateIntegration command = CreateIntegration.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(clock.instant())
                .setIssuedBy(WriteRequests.issuedBy(request))
                .setName(name)
                .setDescription(description)
                .setAuthScheme(scheme)
                .setEntityIdName(entityIdName)
                .setConfigSchema(schema)
                .setOauthConnection(oauthConnection)
                .setCredentialHeaders(headers)
                .setProxyBaseUrlKey(
                        proxyBaseUrlKey == null ? IntegrationJson.DEFAULT_PROXY_BASE_URL_KEY : proxyBaseUrlKey)
                .build();
        return commands.execute(
                name,
                commandId,
                command,
                outcome -> CommandResponder.withStatus(readBack(request, name), HttpStatus.CREATED));
    }

    /** GET /v1/integrations → every integration, by name. */
    @Get
    @Operation(operationId = "listIntegrations", summary = "Lists every integration")
    @ApiResponse(
            responseCode = "200",
            description = "Every integration, by name",
            content =
                    @Content(
                            mediaType = "application/json",
                            array = @ArraySchema(schema = @Schema(implementation = ApiSchemas.Integration.class))))
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> list(HttpRequest<?> request) {
        return fanOut.sortedList(
                request,
                "name",
                views -> views.localIntegrations(false).stream()
                        .map(s -> (JsonNode) IntegrationJson.render(s, box))
                        .toList());
    }

    /** GET /v1/integrations/{name} → Integration or 404. */
    @Get("/{name}")
    @Operation(operationId = "getIntegration", summary = "Reads an integration")
    @ApiResponse(
            responseCode = "200",
            description = "The integration",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.Integration.class)))
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> get(HttpRequest<?> request, @PathVariable String name) {
        WriteRequests.name("name", name);
        return router.answer(request, name, (views, stale) -> render(views, name, stale));
    }

    /** PATCH /v1/integrations/{name} → the changed Integration; 422 if stored values would break. */
    @Patch("/{name}")
    @Operation(operationId = "updateIntegration", summary = "Changes an integration")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.IntegrationChange.class)))
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, ref = ApiSchemas.IF_MATCH)
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, ref = ApiSchemas.IDEMPOTENCY_KEY)
    @ApiResponse(
            responseCode = "200",
            description = "The changed integration",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.Integration.class)))
    @ApiResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "412", ref = ApiSchemas.STALE_VERSION)
    @ApiResponse(responseCode = "413", ref = ApiSchemas.TOO_LARGE)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> update(
            HttpRequest<?> request, @PathVariable String name, @Nullable @Body String body) {
        WriteRequests.name("name", name);
        JsonBody json =
                JsonBody.parse(body).allowOnly(union(IntegrationDecider.PATCHABLE, Set.of("name", "auth_scheme")));
        if (json.has("name")) json.error("name", "cannot be changed");
        if (json.has("auth_scheme")) json.error("auth_scheme", "cannot be changed; create a new integration");
        List<String> changed = new ArrayList<>();
        UpdateIntegration.Builder command = UpdateIntegration.newBuilder().setName(name);
        if (json.has("description")) {
            changed.add("description");
            command.setDescription(json.optionalString("description"));
        }
        if (json.has("entity_id_name")) {
            changed.add("entity_id_name");
            command.setEntityIdName(json.optionalString("entity_id_name"));
        }
        if (json.has("config_schema")) {
            changed.add("config_schema");
            List<ConfigField> schema = IntegrationJson.readSchema(json, "config_schema");
            json.errors(ConfigSchema.checkDefinition(schema, "config_schema"));
            command.setConfigSchema(schema);
        }
        if (json.has("oauth_connection")) {
            changed.add("oauth_connection");
            command.setOauthConnection(json.optionalName("oauth_connection"));
        }
        if (json.has("credential_headers")) {
            changed.add("credential_headers");
            command.setCredentialHeaders(IntegrationJson.headers(json));
        }
        if (json.has("proxy_base_url_key")) {
            changed.add("proxy_base_url_key");
            String key = json.optionalName("proxy_base_url_key");
            command.setProxyBaseUrlKey(key == null ? IntegrationJson.DEFAULT_PROXY_BASE_URL_KEY : key);
        }
        json.throwIfInvalid();
        if (changed.isEmpty())
            return CommandResponder.unchanged(readBack(request, name), WriteRequests.expectedVersion(request));
        String commandId =
                WriteRequests.commandId(request, UpdateIntegration.class, Names.integrationAggregate(name), body);
        command.setCommandId(commandId)
                .setIssuedAt(clock.instant())
                .setIssuedBy(WriteRequests.issuedBy(request))
                .setExpectedVersion(WriteRequests.expectedVersion(request))
                .setChangedFields(changed);
        return commands.execute(name, commandId, command.build(), outcome -> readBack(request, name));
    }

    /** PUT /v1/integrations/{name}/defaults → the Integration with its new defaults. */
    @Put("/{name}/defaults")
    @Operation(operationId = "setIntegrationDefaults", summary = "Replaces the defaults of an integration")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.Defaults.class)))
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, ref = ApiSchemas.IF_MATCH)
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, ref = ApiSchemas.IDEMPOTENCY_KEY)
    @ApiResponse(
            responseCode = "200",
            description = "The integration with its new defaults",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.Integration.class)))
    @ApiResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "412", ref = ApiSchemas.STALE_VERSION)
    @ApiResponse(responseCode = "413", ref = ApiSchemas.TOO_LARGE)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> setDefaults(
            HttpRequest<?> request, @PathVariable String name, @Nullable @Body String body) {
        WriteRequests.name("name", name);
        JsonBody json = JsonBody.parse(body).allowOnly(DEFAULTS_FIELDS);
        var config = json.optionalObject("config");
        if (!json.has("config")) json.error("config", "is required");
        else if (json.isNull("config")) json.error("config", "must be an object, not null ({} clears the defaults)");
        json.throwIfInvalid();
        return schemas.of(name).flatMap(schema -> {
            var values = ConfigJson.fromJson(
                    config.orElseGet(() -> JsonBody.mapper().createObjectNode()),
                    "config",
                    schema,
                    box,
                    key -> SecretPlaces.integrationDefault(name, key),
                    json);
            json.throwIfInvalid();
            String commandId = WriteRequests.commandId(
                    request, SetIntegrationDefaults.class, Names.integrationAggregate(name), body);
            SetIntegrationDefaults command = SetIntegrationDefaults.newBuilder()
                    .setCommandId(commandId)
                    .setIssuedAt(clock.instant())
                    .setIssuedBy(WriteRequests.issuedBy(request))
                    .setExpectedVersion(WriteRequests.expectedVersion(request))
                    .setName(name)
                    .setConfig(values)
                    .build();
            return Mono.from(commands.execute(name, commandId, command, outcome -> readBack(request, name)));
        });
    }

    /** DELETE /v1/integrations/{name} → 204, or 404. */
    @Delete("/{name}")
    @Operation(operationId = "deleteIntegration", summary = "Deletes an integration, its mappings and credentials")
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, ref = ApiSchemas.IF_MATCH)
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, ref = ApiSchemas.IDEMPOTENCY_KEY)
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "412", ref = ApiSchemas.STALE_VERSION)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> delete(HttpRequest<?> request, @PathVariable String name) {
        WriteRequests.name("name", name);
        String commandId =
                WriteRequests.commandId(request, DeleteIntegration.class, Names.integrationAggregate(name), null);
        DeleteIntegration command = DeleteIntegration.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(clock.instant())
                .setIssuedBy(WriteRequests.issuedBy(request))
                .setExpectedVersion(WriteRequests.expectedVersion(request))
                .setName(name)
                .build();
        return commands.execute(name, commandId, command, outcome -> Mono.just(HttpResponse.noContent()));
    }

    /** GET /v1/integrations/{name}/history → its events and its mappings' events, oldest first, secrets masked. */
    @Get("/{name}/history")
    @Operation(
            operationId = "getIntegrationHistory",
            summary = "The events of an integration and its mappings, oldest first")
    @ApiResponse(
            responseCode = "200",
            description = "The events, secrets masked",
            content =
                    @Content(
                            mediaType = "application/json",
                            array = @ArraySchema(schema = @Schema(implementation = ApiSchemas.HistoryEvent.class))))
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    public Publisher<MutableHttpResponse<?>> history(@PathVariable String name) {
        WriteRequests.name("name", name);
        return Mono.fromCallable(() -> history.of(name))
                .subscribeOn(Schedulers.boundedElastic())
                .<MutableHttpResponse<?>>map(events -> {
                    if (events.isEmpty()) throw ProblemException.notFound("integration '" + name + "' has no history");
                    return Responses.ok(events);
                });
    }

    private Publisher<MutableHttpResponse<?>> readBack(HttpRequest<?> write, String name) {
        HttpRequest<?> get = CommandResponder.readBack(write, "/v1/integrations/" + name);
        return router.answer(get, name, (views, stale) -> render(views, name, stale));
    }

    private MutableHttpResponse<?> render(Views views, String name, boolean stale) {
        IntegrationState state = views.integration(name, stale)
                .orElseThrow(() -> ProblemException.notFound("integration '" + name + "' does not exist"));
        return Responses.ok(IntegrationJson.render(state, box), state.getVersion());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        var all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
