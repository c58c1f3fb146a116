package com.integrationshub.query.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.commands.CreateOAuthConnection;
import com.integrationshub.commands.DeleteOAuthConnection;
import com.integrationshub.commands.UpdateOAuthConnection;
import com.integrationshub.common.FieldError;
import com.integrationshub.common.GrantType;
import com.integrationshub.common.SignatureMethod;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.domain.oauth.ConnectionDecider;
import com.integrationshub.domain.oauth1.RsaPrivateKeys;
import com.integrationshub.domain.oauth1.SigningRefused;
import com.integrationshub.oauth.client.OutboundGuard;
import com.integrationshub.query.apidoc.ApiSchemas;
import com.integrationshub.query.http.Responses;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.route.FanOut;
import com.integrationshub.query.route.ReadRouter;
import com.integrationshub.query.route.Views;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.write.CommandResponder;
import com.integrationshub.query.write.WriteRequests;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.ConnectionState;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** OAuth connections (admin): the client registrations tokens are obtained with; and their global tokens. */
@Tag(name = "OAuth connections", description = "OAuth connections (admin)")
@ApiResponse(responseCode = "401", ref = ApiSchemas.UNAUTHORIZED)
@ApiResponse(responseCode = "403", ref = ApiSchemas.FORBIDDEN)
@Controller("/v1/oauth/connections")
@Consumes(MediaType.ALL)
public class OAuthConnectionController {

    private static final Set<String> FIELDS = Set.of(
            "connection_name",
            "grant_type",
            "client_id",
            "client_secret",
            "authorization_url",
            "token_url",
            "scopes",
            "extra_authorize_params",
            "client_auth_method",
            "refresh_margin_seconds",
            "refresh_token_rotation",
            "refresh_token_grace",
            "request_token_url",
            "access_token_url",
            "signature_method",
            ConnectionTemplates.PROVIDER);

    private final ReadRouter router;
    private final FanOut fanOut;
    private final CommandResponder commands;
    private final SecretBox box;
    private final OAuthFlows flows;
    private final OutboundGuard guard;
    private final Clock clock;
    private final ConnectionTemplates templates;

    public OAuthConnectionController(
            ReadRouter router,
            FanOut fanOut,
            CommandResponder commands,
            SecretBox box,
            OAuthFlows flows,
            OutboundGuard guard,
            Clock clock,
            ConnectionTemplates templates) {
        this.clock = clock;
        this.templates = templates;
        this.guard = guard;
        this.router = router;
        this.fanOut = fanOut;
        this.commands = commands;
        this.box = box;
        this.flows = flows;
    }

    /**
     * POST /v1/oauth/connections → 201 (secret masked); 409 if the name exists. With "provider", the members the body
     * leaves out come from that catalogue entry.
     */
    @Post
    @Operation(operationId = "createOAuthConnection", summary = "Creates an OAuth connection")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.NewOAuthConnection.class),
                            examples = @ExampleObject(name = "example", value = ApiSchemas.NEW_CONNECTION_EXAMPLE)))
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, ref = ApiSchemas.IDEMPOTENCY_KEY)
    @ApiResponse(
            responseCode = "201",
            description = "The new connection, its secret masked",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.OAuthConnection.class)))
    @ApiResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @ApiResponse(responseCode = "409", ref = ApiSchemas.CONFLICT)
    @ApiResponse(responseCode = "413", ref = ApiSchemas.TOO_LARGE)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> create(HttpRequest<?> request, @Nullable @Body String body) {
        JsonBody json = templates.fill(JsonBody.parse(body)).allowOnly(FIELDS);
        String name = json.requiredName("connection_name");
        var grant = ConnectionJson.readGrant(json);
        String clientId = json.requiredString("client_id");
        String clientSecret = json.optionalString("client_secret");
        String authorizationUrl = json.optionalString("authorization_url");
        boolean oauth1 = grant == GrantType.OAUTH1;
        String tokenUrl = json.requiredString(tokenField(json, oauth1));
        String requestTokenUrl = json.optionalString("request_token_url");
        var signatureMethod = ConnectionJson.readSignatureMethod(json);
        if (oauth1) checkConsumerSecret(json, signatureMethod, clientSecret, true);
        List<String> scopes = json.optionalStringList("scopes");
        var extra = json.optionalStringMap("extra_authorize_params");
        var clientAuth = ConnectionJson.readClientAuth(json);
        Long margin = json.optionalLong("refresh_margin_seconds");
        var rotation = ConnectionJson.readRotation(json);
        Long grace = json.optionalLong("refresh_token_grace");
        json.throwIfInvalid();
        String commandId =
                WriteRequests.commandId(request, CreateOAuthConnection.class, Names.connectionAggregate(name), body);
        CreateOAuthConnection command = CreateOAuthConnection.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(clock.instant())
                .setIssuedBy(WriteRequests.issuedBy(request))
                .setConnectionName(name)
                .setGrantType(grant)
                .setClientId(clientId)
                .setClientSecret(clientSecret == null ? null : box.seal(clientSecret, SecretPlaces.clientSecret(name)))
                .setAuthorizationUrl(authorizationUrl)
                .setTokenUrl(tokenUrl)
                .setScopes(scopes)
                .setExtraAuthorizeParams(extra == null ? Map.of() : extra)
                .setClientAuthMethod(clientAuth)
                .setRefreshMarginSeconds(margin)
                .setRefreshTokenRotation(rotation)
                .setRefreshTokenGrace(grace)
                .setRequestTokenUrl(requestTokenUrl)
                .setSignatureMethod(signatureMethod)
                .build();
        Map<String, String> urls = new LinkedHashMap<>();
        if (requestTokenUrl != null) urls.put("request_token_url", requestTokenUrl);
        if (authorizationUrl != null) urls.put("authorization_url", authorizationUrl);
        urls.put(oauth1 ? "access_token_url" : "token_url", tokenUrl);
        return allowedOutbound(urls)
                .then(Mono.defer(() -> Mono.from(commands.execute(
                        name,
                        commandId,
                        command,
                        outcome -> CommandResponder.withStatus(readBack(request, name), HttpStatus.CREATED)))));
    }

    /** GET /v1/oauth/connections → every connection. */
    @Get
    @Operation(operationId = "listOAuthConnections", summary = "Lists every OAuth connection")
    @ApiResponse(
            responseCode = "200",
            description = "Every connection, by name",
            content =
                    @Content(
                            mediaType = "application/json",
                            array = @ArraySchema(schema = @Schema(implementation = ApiSchemas.OAuthConnection.class))))
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> list(HttpRequest<?> request) {
        return fanOut.sortedList(
                request,
                "connection_name",
                views -> views.<ConnectionState>localAll(StoreNames.CONNECTIONS, false).stream()
                        .map(c -> (JsonNode) ConnectionJson.render(c))
                        .toList());
    }

    /** GET /v1/oauth/connections/{name} → the connection or 404. */
    @Get("/{name}")
    @Operation(operationId = "getOAuthConnection", summary = "Reads an OAuth connection")
    @ApiResponse(
            responseCode = "200",
            description = "The connection, its secret masked",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.OAuthConnection.class)))
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> get(HttpRequest<?> request, @PathVariable String name) {
        WriteRequests.name("name", name);
        return router.answer(request, name, (views, stale) -> render(views, name, stale));
    }

    /** PATCH /v1/oauth/connections/{name} → the changed connection. */
    @Patch("/{name}")
    @Operation(operationId = "updateOAuthConnection", summary = "Changes an OAuth connection")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.OAuthConnectionChange.class)))
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, ref = ApiSchemas.IF_MATCH)
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, ref = ApiSchemas.IDEMPOTENCY_KEY)
    @ApiResponse(
            responseCode = "200",
            description = "The changed connection",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.OAuthConnection.class)))
    @ApiResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "412", ref = ApiSchemas.STALE_VERSION)
    @ApiResponse(responseCode = "413", ref = ApiSchemas.TOO_LARGE)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> update(
            HttpRequest<?> request, @PathVariable String name, @Nullable @Body String body) {
        WriteRequests.name("name", name);
        Set<String> allowed = new HashSet<>(ConnectionDecider.PATCHABLE);
        allowed.add("connection_name");
        JsonBody json = JsonBody.parse(body).allowOnly(allowed);
        if (json.has("connection_name")) json.error("connection_name", "cannot be changed");
        List<String> changed = new ArrayList<>();
        UpdateOAuthConnection.Builder command =
                UpdateOAuthConnection.newBuilder().setConnectionName(name);
        if (json.has("grant_type")) {
            changed.add("grant_type");
            command.setGrantType(ConnectionJson.readGrant(json));
        }
        if (json.has("client_id")) {
            changed.add("client_id");
            command.setClientId(json.requiredString("client_id"));
        }
        if (json.has("client_secret")) {
            changed.add("client_secret");
            String secret = json.optionalString("client_secret");
            command.setClientSecret(secret == null ? null : box.seal(secret, SecretPlaces.clientSecret(name)));
        }
        if (json.has("authorization_url")) {
            changed.add("authorization_url");
            command.setAuthorizationUrl(json.optionalString("authorization_url"));
        }
        if (json.has("token_url")) {
            changed.add("token_url");
            command.setTokenUrl(json.requiredString("token_url"));
        }
        // OAuth 1.0a's name for its token endpoint (RFC 5849 §2.3); stored as token_url.
        if (json.has("access_token_url")) {
            if (json.has("token_url")) json.error("access_token_url", "name either token_url or access_token_url");
            changed.add("token_url");
            command.setTokenUrl(json.requiredString("access_token_url"));
        }
        if (json.has("request_token_url")) {
            changed.add("request_token_url");
            command.setRequestTokenUrl(json.optionalString("request_token_url"));
        }
        if (json.has("signature_method")) {
            changed.add("signature_method");
            command.setSignatureMethod(ConnectionJson.readSignatureMethod(json));
        }
        if (command.getSignatureMethod() == SignatureMethod.RSA_SHA1 || command.getClientSecret() != null) {
            // A new RSA key is checked before it is sealed; switching to RSA-SHA1 needs the key with it.
            String secret = json.has("client_secret") ? json.optionalString("client_secret") : null;
            if (command.getSignatureMethod() == SignatureMethod.RSA_SHA1 || secret != null) {
                checkConsumerSecret(json, command.getSignatureMethod(), secret, false);
            }
        }
        if (json.has("scopes")) {
            changed.add("scopes");
            command.setScopes(json.optionalStringList("scopes"));
        }
        if (json.has("extra_authorize_params")) {
            changed.add("extra_authorize_params");
            var extra = json.optionalStringMap("extra_authorize_params");
            command.setExtraAuthorizeParams(extra == null ? Map.of() : extra);
        }
        if (json.has("client_auth_method")) {
            changed.add("client_auth_method");
            command.setClientAuthMethod(ConnectionJson.readClientAuth(json));
        }
        if (json.has("refresh_margin_seconds")) {
            changed.add("refresh_margin_seconds");
            command.setRefreshMarginSeconds(json.optionalLong("refresh_margin_seconds"));
        }
        if (json.has("refresh_token_rotation")) {
            changed.add("refresh_token_rotation");
            command.setRefreshTokenRotation(ConnectionJson.readRotation(json));
        }
        if (json.has("refresh_token_grace")) {
            changed.add("refresh_token_grace");
            command.setRefreshTokenGrace(json.optionalLong("refresh_token_grace"));
        }
        json.throwIfInvalid();
        if (changed.isEmpty())
            return CommandResponder.unchanged(readBack(request, name), WriteRequests.expectedVersion(request));
        String commandId =
                WriteRequests.commandId(request, UpdateOAuthConnection.class, Names.connectionAggregate(name), body);
        command.setCommandId(commandId)
                .setIssuedAt(clock.instant())
                .setIssuedBy(WriteRequests.issuedBy(request))
                .setExpectedVersion(WriteRequests.expectedVersion(request))
                .setChangedFields(changed);
        Map<String, String> urls = new LinkedHashMap<>();
        if (command.getRequestTokenUrl() != null) urls.put("request_token_url", command.getRequestTokenUrl());
        if (command.getAuthorizationUrl() != null) urls.put("authorization_url", command.getAuthorizationUrl());
        if (command.getTokenUrl() != null)
            urls.put(json.has("access_token_url") ? "access_token_url" : "token_url", command.getTokenUrl());
        if (urls.isEmpty())
            return commands.execute(name, commandId, command.build(), outcome -> readBack(request, name));
        return allowedOutbound(urls)
                .then(Mono.defer(() -> Mono.from(
                        commands.execute(name, commandId, command.build(), outcome -> readBack(request, name)))));
    }

    /** DELETE /v1/oauth/connections/{name} → 204 or 404; its tokens go with it. */
    @Delete("/{name}")
    @Operation(operationId = "deleteOAuthConnection", summary = "Deletes an OAuth connection and its tokens")
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
                WriteRequests.commandId(request, DeleteOAuthConnection.class, Names.connectionAggregate(name), null);
        DeleteOAuthConnection command = DeleteOAuthConnection.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(clock.instant())
                .setIssuedBy(WriteRequests.issuedBy(request))
                .setExpectedVersion(WriteRequests.expectedVersion(request))
                .setConnectionName(name)
                .build();
        return commands.execute(name, commandId, command, outcome -> Mono.just(HttpResponse.noContent()));
    }

    /** POST /v1/oauth/connections/{name}/connect → 201 {"redirect_url"} for the connection's global token. */
    @Post("/{name}/connect")
    @Operation(
            operationId = "connectOAuthConnection",
            summary = "Starts the authorization of the connection's global token")
    @ApiResponse(
            responseCode = "201",
            description = "The provider URL to authorize at",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.Connected.class)))
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> connectGlobal(HttpRequest<?> request, @PathVariable String name) {
        WriteRequests.name("name", name);
        return flows.connect(request, name, null, null, null);
    }

    /**
     * Completes when the outbound guard allows every provider URL (the hub hands out the authorization URL and calls
     * the token URL); else fails with a 422 naming each refused field. Resolving the hosts blocks, so not on the
     * event loop. A host that does not resolve now passes: every call is checked again.
     */
    private Mono<Void> allowedOutbound(Map<String, String> urls) {
        return Mono.<Void>fromRunnable(() -> {
                    List<FieldError> errors = new ArrayList<>();
                    urls.forEach((field, url) ->
                            guard.problem(url).ifPresent(why -> errors.add(new FieldError(field, why))));
                    if (!errors.isEmpty()) throw ProblemException.invalid(errors);
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** oauth1 names its token endpoint access_token_url (RFC 5849 §2.3), OAuth 2.0 token_url; the other is refused. */
    private static String tokenField(JsonBody json, boolean oauth1) {
        String other = oauth1 ? "token_url" : "access_token_url";
        if (json.has(other)) {
            json.error(
                    other,
                    oauth1
                            ? "grant_type oauth1 names it access_token_url"
                            : "is only for grant_type oauth1 (OAuth 2.0 names it token_url)");
        }
        return oauth1 ? "access_token_url" : "token_url";
    }

    /**
     * For RSA-SHA1 the consumer secret is the PEM private key: refused here, naming client_secret, rather than at the
     * first signature. On create the key is required with RSA-SHA1.
     */
    private static void checkConsumerSecret(JsonBody json, SignatureMethod method, String secret, boolean creating) {
        if (method != SignatureMethod.RSA_SHA1) return;
        if (secret == null) {
            if (!creating) json.error("client_secret", "is required with signature_method RSA-SHA1 (the PEM key)");
            return;
        }
        try {
            RsaPrivateKeys.parse(secret);
        } catch (SigningRefused e) {
            json.error("client_secret", e.reason());
        }
    }

    private Publisher<MutableHttpResponse<?>> readBack(HttpRequest<?> write, String name) {
        HttpRequest<?> get = CommandResponder.readBack(write, "/v1/oauth/connections/" + name);
        return router.answer(get, name, (views, stale) -> render(views, name, stale));
    }

    private static MutableHttpResponse<?> render(Views views, String name, boolean stale) {
        ConnectionState state = views.<ConnectionState>get(StoreNames.CONNECTIONS, name, name, stale)
                .orElseThrow(() -> ProblemException.notFound("OAuth connection '" + name + "' does not exist"));
        return Responses.ok(ConnectionJson.render(state), state.getVersion());
    }
}
