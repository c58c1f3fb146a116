package com.integrationshub.query.connect;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.domain.credentials.CredentialsDecider;
import com.integrationshub.query.apidoc.ApiSchemas;
import com.integrationshub.query.credentials.ConnectCommands;
import com.integrationshub.query.credentials.CredentialValues;
import com.integrationshub.query.http.Responses;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.route.StateReader;
import com.integrationshub.query.security.Caller;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.write.WriteRequests;
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
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The hosted connect page, authorized by its session token alone (AccessFilter leaves /connect/ open): the page's
 * HTML shell, the session's status read, and connecting one of the session's integrations for the session's org —
 * the same command as POST /v1/orgs/{org}/integrations/{name}/connect ({@link ConnectCommands}).
 */
@Tag(name = "Connect page", description = "The hosted connect page, authorized by its session token")
@Controller("/connect/{token}")
@Consumes(MediaType.ALL)
public class ConnectPageController {

    private final ConnectSessionTokens tokens;
    private final ConnectPages pages;
    private final StateReader state;
    private final ConnectCommands connects;
    private final CredentialValues values;
    private final Clock clock;

    public ConnectPageController(
            ConnectSessionTokens tokens,
            ConnectPages pages,
            StateReader state,
            ConnectCommands connects,
            CredentialValues values,
            Clock clock) {
        this.tokens = tokens;
        this.pages = pages;
        this.state = state;
        this.connects = connects;
        this.values = values;
        this.clock = clock;
    }

    /** The page (200), or an error page and nothing else: 410 for an expired session, 404 for any other token. */
    @Get(produces = MediaType.TEXT_HTML)
    @SecurityRequirement(name = ApiSchemas.OPEN)
    @Operation(operationId = "connectPage", summary = "The hosted connect page (open: the token authorizes)")
    @ApiResponse(
            responseCode = "200",
            description = "The page",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = "string")))
    @ApiResponse(
            responseCode = "404",
            description = "An error page: not a session's token",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = "string")))
    @ApiResponse(
            responseCode = "410",
            description = "An error page: the session has expired",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = "string")))
    public HttpResponse<String> page(@PathVariable String token) {
        return switch (tokens.read(token, clock.instant()).verdict()) {
            case VALID -> html(HttpStatus.OK, pages.page());
            case EXPIRED -> html(HttpStatus.GONE, pages.expired());
            case UNKNOWN -> html(HttpStatus.NOT_FOUND, pages.unknown());
        };
    }

    /**
     * GET /connect/{token}/status → {"org_id", "expires_at", "return_url", "integrations": [{"name", "description",
     * "auth_scheme", "status", "fields"}]}: each listed integration that still exists, with the org's credential
     * status (active, expired, needs_reauth, missing) and, for the static schemes, the fields its form asks for.
     */
    @Get(uri = "/status", produces = MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = ApiSchemas.OPEN)
    @Operation(operationId = "connectPageStatus", summary = "The session's integrations and the org's status of each")
    @ApiResponse(
            responseCode = "200",
            description = "The session and its integrations",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.ConnectPageStatus.class)))
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(
            responseCode = "410",
            description = "The session has expired",
            content = @Content(mediaType = ApiSchemas.PROBLEM_JSON, schema = @Schema(ref = ApiSchemas.PROBLEM)))
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> status(HttpRequest<?> request, @PathVariable String token) {
        ConnectSession session = session(request, token);
        return Flux.fromIterable(session.integrations())
                .concatMap(name -> state.<IntegrationState>get(StoreNames.INTEGRATIONS, name, name)
                        .flatMap(found -> found.map(integration -> item(request, session, integration))
                                .orElseGet(Mono::empty)))
                .collectList()
                .map(items -> {
                    ObjectNode out = JsonBody.mapper().createObjectNode();
                    out.put("org_id", session.orgId());
                    out.put("expires_at", session.expiresAt().toString());
                    out.put("return_url", session.returnUrl().orElse(null));
                    ArrayNode list = out.putArray("integrations");
                    items.forEach(list::add);
                    return Responses.ok(out);
                });
    }

    /**
     * POST /connect/{token}/integrations/{name}/connect body {"data": {...}} → what the v1 connect answers (201
     * {"connection_id"} or {"connection_id", "redirect_url"}), with the integration's own auth scheme; 403 for an
     * integration the session does not list.
     */
    @Post("/integrations/{name}/connect")
    @SecurityRequirement(name = ApiSchemas.OPEN)
    @Operation(operationId = "connectPageConnect", summary = "Connects one of the session's integrations for its org")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.ConnectPageRequest.class)))
    @ApiResponse(
            responseCode = "201",
            description = "Connected, or the provider URL to authorize at",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.Connected.class)))
    @ApiResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @ApiResponse(responseCode = "403", ref = ApiSchemas.FORBIDDEN)
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(
            responseCode = "410",
            description = "The session has expired",
            content = @Content(mediaType = ApiSchemas.PROBLEM_JSON, schema = @Schema(ref = ApiSchemas.PROBLEM)))
    @ApiResponse(responseCode = "413", ref = ApiSchemas.TOO_LARGE)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> connect(
            HttpRequest<?> request,
            @PathVariable String token,
            @PathVariable String name,
            @Nullable @Body String body) {
        ConnectSession session = session(request, token);
        WriteRequests.name("name", name);
        if (!session.lists(name)) {
            throw new ProblemException(
                    403,
                    "forbidden",
                    "Forbidden",
                    "this connect session does not list that integration",
                    List.of(),
                    Map.of());
        }
        JsonBody json = JsonBody.parse(body).allowOnly(Set.of("data"));
        ObjectNode data =
                json.optionalObject("data").orElseGet(() -> JsonBody.mapper().createObjectNode());
        json.throwIfInvalid();
        return connects.connect(request, session.orgId(), name, null, data, json, body);
    }

    /**
     * The valid session of the token, set as the request's caller (an org caller whose subject is the session's);
     * fails 410 when expired, 404 for any other token.
     */
    private ConnectSession session(HttpRequest<?> request, String token) {
        ConnectSessionTokens.Reading reading = tokens.read(token, clock.instant());
        switch (reading.verdict()) {
            case VALID -> {
                ConnectSession session = reading.session().orElseThrow();
                request.setAttribute(
                        Caller.ATTRIBUTE, new Caller(session.subject(), false, Optional.of(session.orgId())));
                return session;
            }
            case EXPIRED ->
                throw new ProblemException(
                        410, "session-expired", "Gone", "this connect session has expired", List.of(), Map.of());
            default -> throw ProblemException.notFound("no such connect session");
        }
    }

    private Mono<ObjectNode> item(HttpRequest<?> request, ConnectSession session, IntegrationState integration) {
        return connects.mapping(integration.getName(), session.orgId())
                .flatMap(mapping -> values.status(request, integration, mapping, session.orgId()))
                .map(status -> {
                    ObjectNode item = JsonBody.mapper().createObjectNode();
                    item.put("name", integration.getName());
                    item.put("description", integration.getDescription());
                    item.put("auth_scheme", integration.getAuthScheme().name());
                    item.put("status", status.value());
                    ArrayNode fields = item.putArray("fields");
                    formFields(integration.getAuthScheme())
                            .forEach(field -> fields.addObject()
                                    .put("key", field.getKey())
                                    .put("secret", field.getValue()));
                    return item;
                });
    }

    /** The fields a static scheme's form asks for, plain ones (a user name) before secret ones (a password). */
    private static List<Map.Entry<String, Boolean>> formFields(AuthScheme scheme) {
        return CredentialsDecider.FIELDS.getOrDefault(scheme, Map.of()).entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, Boolean>, Boolean>comparing(Map.Entry::getValue)
                        .thenComparing(Map.Entry::getKey))
                .toList();
    }

    private static HttpResponse<String> html(HttpStatus status, String body) {
        return HttpResponse.<String>status(status).body(body).contentType(MediaType.TEXT_HTML_TYPE);
    }
}
