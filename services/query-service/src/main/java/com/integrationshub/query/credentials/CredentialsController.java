package com.integrationshub.query.credentials;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.domain.token.TokenStatus;
import com.integrationshub.query.apidoc.ApiSchemas;
import com.integrationshub.query.http.Responses;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.oauth.OAuthMaterial;
import com.integrationshub.query.oauth.TokenRefreshes;
import com.integrationshub.query.route.StateReader;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.write.WriteRequests;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import com.integrationshub.state.TokenState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Optional;
import java.util.Set;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * An org's credentials for an integration: connect (any scheme), read them to call the API, refresh OAuth now. HTTP
 * only: the rules are in {@link ConnectCommands} and {@link CredentialValues}.
 */
@Tag(name = "Credentials", description = "An org's credentials, all auth schemes")
@ApiResponse(responseCode = "401", ref = ApiSchemas.UNAUTHORIZED)
@ApiResponse(responseCode = "403", ref = ApiSchemas.FORBIDDEN)
@Controller("/v1/orgs/{org_id}/integrations/{name}")
@Consumes(MediaType.ALL)
public class CredentialsController {

    private final StateReader state;
    private final ConnectCommands connects;
    private final OAuthMaterial material;
    private final TokenRefreshes refreshes;
    private final CredentialValues values;

    public CredentialsController(
            StateReader state,
            ConnectCommands connects,
            OAuthMaterial material,
            TokenRefreshes refreshes,
            CredentialValues values) {
        this.state = state;
        this.connects = connects;
        this.material = material;
        this.refreshes = refreshes;
        this.values = values;
    }

    /** POST .../connect → 201 {"connection_id"} (static schemes) or {"connection_id", "redirect_url"} (OAuth 2.0). */
    @Post("/connect")
    @Operation(
            operationId = "connectIntegration",
            summary = "Connects an org: stores static credentials or starts an OAuth authorization")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.ConnectRequest.class),
                            examples = @ExampleObject(name = "example", value = ApiSchemas.CONNECT_EXAMPLE)))
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, ref = ApiSchemas.IDEMPOTENCY_KEY)
    @ApiResponse(
            responseCode = "201",
            description = "Connected, or the provider URL to authorize at",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.Connected.class)))
    @ApiResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ApiSchemas.CONFLICT)
    @ApiResponse(responseCode = "413", ref = ApiSchemas.TOO_LARGE)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> connect(
            HttpRequest<?> request,
            @PathVariable("org_id") String orgId,
            @PathVariable String name,
            @Nullable @Body String body) {
        WriteRequests.name("org_id", orgId);
        WriteRequests.name("name", name);
        JsonBody json = JsonBody.parse(body).allowOnly(Set.of("auth_scheme", "data"));
        AuthScheme scheme = readScheme(json);
        ObjectNode data =
                json.optionalObject("data").orElseGet(() -> JsonBody.mapper().createObjectNode());
        json.throwIfInvalid();
        return connects.connect(request, orgId, name, scheme, data, json, body);
    }

    /** GET .../credentials → the values to call the API with (reveals secrets), or the rendered credential headers. */
    @Get("/credentials")
    @Operation(operationId = "getCredentials", summary = "The values to call the API with (reveals secrets)")
    @ApiResponse(
            responseCode = "200",
            description = "The credentials, or the credential headers rendered",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.Credentials.class)))
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ApiSchemas.CONFLICT)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> credentials(
            HttpRequest<?> request, @PathVariable("org_id") String orgId, @PathVariable String name) {
        WriteRequests.name("org_id", orgId);
        WriteRequests.name("name", name);
        return integration(name)
                .flatMap(integration -> mapping(name, orgId)
                        .flatMap(mapping -> values.of(request, integration, mapping, orgId)
                                .<MutableHttpResponse<?>>map(found -> {
                                    ObjectNode out = JsonBody.mapper().createObjectNode();
                                    var fields =
                                            integration.getCredentialHeaders().isEmpty()
                                                    ? found
                                                    : values.headers(integration, mapping, found);
                                    fields.forEach(out::put);
                                    return Responses.ok(out);
                                })));
    }

    /** POST .../refresh → 200 with the new expires_at, or 409 needs_reauth. */
    @Post("/refresh")
    @Operation(operationId = "refreshToken", summary = "Refreshes the org's OAuth token now")
    @ApiResponse(
            responseCode = "200",
            description = "The token's new expiry",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.Refreshed.class)))
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ApiSchemas.CONFLICT)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> refresh(
            HttpRequest<?> request, @PathVariable("org_id") String orgId, @PathVariable String name) {
        WriteRequests.name("org_id", orgId);
        WriteRequests.name("name", name);
        return integration(name)
                .flatMap(integration ->
                        mapping(name, orgId).flatMap(mapping -> material.find(request, integration, mapping, orgId)))
                .flatMap(found -> {
                    var token = found.flatMap(OAuthMaterial.Material::token)
                            .orElseThrow(() -> CredentialValues.notAuthorized(
                                    "there is no OAuth token to refresh: connect first", null));
                    return refreshes.refreshNow(request, token).flatMap(outcome -> {
                        if (!outcome.getAccepted()) throw TokenRefreshes.failure(outcome);
                        return state.<TokenState>get(StoreNames.TOKENS, token.getConnectionName(), token.getTokenId());
                    });
                })
                .<MutableHttpResponse<?>>map(token -> {
                    ObjectNode out = JsonBody.mapper().createObjectNode();
                    out.put(
                            "expires_at",
                            token.map(t -> t.getExpiresAt() == null
                                            ? null
                                            : t.getExpiresAt().toString())
                                    .orElse(null));
                    out.put("status", TokenStatus.ACTIVE.value());
                    return Responses.ok(out);
                });
    }

    private Mono<IntegrationState> integration(String name) {
        return connects.integration(name);
    }

    private Mono<Optional<MappingState>> mapping(String name, String orgId) {
        return connects.mapping(name, orgId);
    }

    private static AuthScheme readScheme(JsonBody json) {
        String value = json.requiredString("auth_scheme");
        if (value == null) return null;
        for (AuthScheme s : AuthScheme.values()) if (s.name().equals(value)) return s;
        json.error("auth_scheme", "must be one of OAUTH2, OAUTH1, API_KEY, BEARER_TOKEN, BASIC, NO_AUTH");
        return null;
    }
}
