package com.integrationshub.query.connect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.FieldError;
import com.integrationshub.query.apidoc.ApiSchemas;
import com.integrationshub.query.http.Responses;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.route.StateReader;
import com.integrationshub.query.spec.PublicUrlSettings;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.write.WriteRequests;
import com.integrationshub.state.IntegrationState;
import io.micronaut.context.BeanProvider;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.runtime.server.EmbeddedServer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.IntStream;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * POST /v1/orgs/{org_id}/connect-sessions (an admin or that org's token): a short-lived link to the hosted connect
 * page, where a person of the org connects the listed integrations. Nothing is stored: the token carries the session.
 */
@Tag(name = "Connect sessions", description = "Links to the hosted connect page")
@ApiResponse(responseCode = "401", ref = ApiSchemas.UNAUTHORIZED)
@ApiResponse(responseCode = "403", ref = ApiSchemas.FORBIDDEN)
@Controller("/v1/orgs/{org_id}/connect-sessions")
@Consumes(MediaType.ALL)
public class ConnectSessionController {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectSessionController.class);
    private static final int LOOKUPS_AT_ONCE = 8;

    private final StateReader state;
    private final ConnectSessionTokens tokens;
    private final ConnectSettings settings;
    private final ReturnUrlAllowList returnUrls;
    private final PublicUrlSettings publicUrl;
    private final BeanProvider<EmbeddedServer> server;
    private final Clock clock;

    public ConnectSessionController(
            StateReader state,
            ConnectSessionTokens tokens,
            ConnectSettings settings,
            ReturnUrlAllowList returnUrls,
            PublicUrlSettings publicUrl,
            BeanProvider<EmbeddedServer> server,
            Clock clock) {
        this.state = state;
        this.tokens = tokens;
        this.settings = settings;
        this.returnUrls = returnUrls;
        this.publicUrl = publicUrl;
        this.server = server;
        this.clock = clock;
    }

    /** 201 {"token", "url", "expires_at"}; 422 naming each bad field, an integration that does not exist included. */
    @Post
    @Operation(operationId = "createConnectSession", summary = "Creates a link to the hosted connect page for an org")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.NewConnectSession.class)))
    @ApiResponse(
            responseCode = "201",
            description = "The session's token and the page's URL",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.ConnectSession.class)))
    @ApiResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @ApiResponse(responseCode = "413", ref = ApiSchemas.TOO_LARGE)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> create(
            HttpRequest<?> request, @PathVariable("org_id") String orgId, @Nullable @Body String body) {
        WriteRequests.name("org_id", orgId);
        JsonBody json = JsonBody.parse(body);
        SessionRequest asked = SessionRequest.read(json, settings, returnUrls);
        json.throwIfInvalid();
        List<String> names = asked.integrations();
        return Flux.fromStream(IntStream.range(0, names.size()).boxed())
                .flatMapSequential(
                        i -> state.<IntegrationState>get(StoreNames.INTEGRATIONS, names.get(i), names.get(i))
                                .filter(found -> found.isEmpty())
                                .map(missing ->
                                        new FieldError("integrations[" + i + "]", "no integration of this name")),
                        LOOKUPS_AT_ONCE)
                .collectList()
                .map(missing -> {
                    if (!missing.isEmpty()) throw ProblemException.invalid(missing);
                    Instant expiresAt = clock.instant().plus(asked.expiresIn()).truncatedTo(ChronoUnit.SECONDS);
                    var issued = tokens.issue(orgId, names, asked.returnUrl(), expiresAt);
                    if (issued.token().length() > ConnectSessionTokens.MAX_TOKEN_CHARS) {
                        throw ProblemException.invalid(
                                "integrations",
                                "the names and return_url make a link over " + ConnectSessionTokens.MAX_TOKEN_CHARS
                                        + " characters: list fewer integrations per session");
                    }
                    LOG.info(
                            "connect session {} created for org {} ({} integrations, until {})",
                            issued.session().id(),
                            orgId,
                            names.size(),
                            expiresAt);
                    ObjectNode out = JsonBody.mapper().createObjectNode();
                    out.put("token", issued.token());
                    out.put("url", base() + "/connect/" + issued.token());
                    out.put("expires_at", expiresAt.toString());
                    return Responses.ok(out).status(HttpStatus.CREATED);
                });
    }

    private String base() {
        String configured = publicUrl.getPublicUrl();
        if (configured != null) return configured;
        return server.get().getURL().toString().replaceAll("/+$", "");
    }
}
