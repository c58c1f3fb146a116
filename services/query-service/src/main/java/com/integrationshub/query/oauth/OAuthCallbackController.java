package com.integrationshub.query.oauth;

import com.integrationshub.commands.EndAuthorization;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.oauth.client.EntityIds;
import com.integrationshub.oauth.client.OAuthErrors;
import com.integrationshub.oauth.client.TokenRequest;
import com.integrationshub.query.apidoc.ApiSchemas;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.problem.ProblemResponses;
import com.integrationshub.query.route.StateReader;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.write.CommandResponder;
import com.integrationshub.query.write.WriteRequests;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.AuthorizationState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * GET /v1/oauth/callback: where the provider sends the person back. Exchanges the code with the flow's PKCE verifier
 * and stores the token for whoever started the flow. An unknown, used or expired state, or a provider error, is a
 * 400 and nothing is stored; a provider error (at the callback or from the token endpoint, a redirect included) uses
 * the state up.
 */
@Tag(name = "OAuth connections")
@Controller("/v1/oauth/callback")
public class OAuthCallbackController {

    private static final Logger LOG = LoggerFactory.getLogger(OAuthCallbackController.class);

    private final OAuthFlows flows;
    private final OAuth1Flows oauth1;
    private final StateReader state;
    private final SecretBox box;
    private final MappingTokenLinks links;
    private final CommandResponder commands;
    private final Clock clock;

    public OAuthCallbackController(
            OAuthFlows flows,
            OAuth1Flows oauth1,
            StateReader state,
            SecretBox box,
            MappingTokenLinks links,
            CommandResponder commands,
            Clock clock) {
        this.clock = clock;
        this.commands = commands;
        this.links = links;
        this.flows = flows;
        this.oauth1 = oauth1;
        this.state = state;
        this.box = box;
    }

    /**
     * Completes an authorization-code flow. Every answer, problems included, is marked {@code Cache-Control: no-store}
     * (NoStoreFilter).
     */
    @Get
    @SecurityRequirement(name = ApiSchemas.OPEN)
    @Operation(operationId = "oauthCallback", summary = "The provider's redirect back after authorization (open)")
    @ApiResponse(
            responseCode = "200",
            description = "A small HTML page saying it is connected",
            content = @Content(mediaType = "text/html", schema = @Schema(type = "string")))
    @ApiResponse(
            responseCode = "400",
            description = "Unknown, reused or expired state, or a provider error: nothing stored",
            content = @Content(mediaType = ApiSchemas.PROBLEM_JSON, schema = @Schema(ref = ApiSchemas.PROBLEM)))
    public Publisher<MutableHttpResponse<?>> callback(
            HttpRequest<?> request,
            @Nullable @QueryValue String code,
            @Nullable @QueryValue String state,
            @Nullable @QueryValue String error,
            @Nullable @QueryValue("oauth_token") String oauthToken,
            @Nullable @QueryValue("oauth_verifier") String oauthVerifier) {
        String connectionName = OAuthFlows.connectionOf(state).orElse(null);
        if (connectionName == null) return Mono.just(invalid("unknown state"));
        String stateHash = OAuthFlows.sha256Hex(state);
        return this.state
                .<AuthorizationState>get(StoreNames.AUTHORIZATIONS, connectionName, stateHash)
                .flatMap(found -> {
                    AuthorizationState flow = found.orElseThrow(() -> invalidState("unknown state"));
                    if (flow.getUsed()) throw invalidState("the state was already used");
                    if (!clock.instant().isBefore(flow.getExpiresAt()))
                        throw invalidState("the authorization expired; start again");
                    // Any provider answer uses the state up, so it cannot be tried again (RFC 6749 §10.12, RFC 9700
                    // §4.7).
                    if (error != null) {
                        String reason = OAuthErrors.authorizationError(error);
                        return useUp(request, connectionName, stateHash, reason, "the provider answered " + reason);
                    }
                    if (OAuth1Flows.SCHEME.equals(flow.getAuthScheme())) {
                        return completeOAuth1(request, connectionName, stateHash, flow, oauthToken, oauthVerifier);
                    }
                    if (code == null || code.isBlank()) {
                        return useUp(request, connectionName, stateHash, "no_code", "the callback has no code");
                    }
                    String verifier =
                            box.open(flow.getPkceVerifier(), SecretPlaces.pkceVerifier(connectionName, stateHash));
                    return flows.connection(connectionName)
                            .flatMap(connection -> flows.token(
                                            EntityIds.fill(connection.getTokenUrl(), flow.getEntityId()),
                                            flows.client(connection),
                                            TokenRequest.authorizationCode(code, flow.getRedirectUri(), verifier))
                                    .flatMap(token -> flows.issue(
                                                    request,
                                                    connectionName,
                                                    flow.getIntegrationName(),
                                                    flow.getOrgId(),
                                                    flow.getEntityId(),
                                                    stateHash,
                                                    token)
                                            // Not stored (e.g. the same state completed concurrently): a 400 says why,
                                            // any
                                            // other failure of the decision is answered as an unusable state.
                                            .onErrorMap(
                                                    e -> !(e instanceof ProblemException p && p.status() == 400),
                                                    e -> invalidState("the state could not be used")))
                                    .flatMap(issued -> {
                                        LOG.info(
                                                "OAuth connection {} authorized for org {}",
                                                connectionName,
                                                flow.getOrgId());
                                        return links.link(request, flow)
                                                .then(Mono.<MutableHttpResponse<?>>just(connectedPage(connectionName)));
                                    })
                                    .onErrorResume(
                                            ProviderRefusedException.class,
                                            e -> useUp(
                                                    request,
                                                    connectionName,
                                                    stateHash,
                                                    e.code(),
                                                    "the provider refused the code: " + e.code())));
                });
    }

    /**
     * Completes an OAuth 1.0a flow: the provider sends back the temporary token it gave this flow (checked against
     * its hash) and the verifier, exchanged once for the token credentials. Anything else uses the flow up.
     */
    private Mono<MutableHttpResponse<?>> completeOAuth1(
            HttpRequest<?> request,
            String connectionName,
            String stateHash,
            AuthorizationState flow,
            String oauthToken,
            String oauthVerifier) {
        if (oauthToken == null || oauthVerifier == null || oauthVerifier.isBlank()) {
            return useUp(request, connectionName, stateHash, "no_verifier", "the callback has no oauth_verifier");
        }
        if (!OAuthFlows.sha256Hex(oauthToken).equals(flow.getTemporaryTokenHash())) {
            return useUp(
                    request,
                    connectionName,
                    stateHash,
                    "temporary_token_mismatch",
                    "the callback's oauth_token is not the one this flow was given");
        }
        return flows.connection(connectionName)
                .flatMap(connection -> oauth1.complete(request, connection, flow, stateHash, oauthToken, oauthVerifier)
                        .onErrorMap(
                                e -> !(e instanceof ProblemException p && p.status() == 400)
                                        && !(e instanceof ProviderRefusedException),
                                e -> invalidState("the state could not be used"))
                        .flatMap(issued -> {
                            LOG.info("OAuth 1.0a connection {} authorized for org {}", connectionName, flow.getOrgId());
                            return links.link(request, flow)
                                    .then(Mono.<MutableHttpResponse<?>>just(connectedPage(connectionName)));
                        })
                        .onErrorResume(
                                ProviderRefusedException.class,
                                e -> useUp(
                                        request,
                                        connectionName,
                                        stateHash,
                                        e.code(),
                                        "the provider refused the verifier: " + e.code())));
    }

    /**
     * Uses the authorization up (EndAuthorization) and answers 400 with {@code detail}; a reason is an RFC 6749 code
     * or our own, never provider text. When the decision does not come (503), that is the answer: retrying the
     * callback then finds the state used or still usable, never half-used.
     */
    private Mono<MutableHttpResponse<?>> useUp(
            HttpRequest<?> request, String connectionName, String stateHash, String reason, String detail) {
        String commandId = UUID.randomUUID().toString();
        EndAuthorization command = EndAuthorization.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(clock.instant())
                .setIssuedBy(WriteRequests.issuedBy(request))
                .setConnectionName(connectionName)
                .setStateHash(stateHash)
                .setReason(reason)
                .build();
        LOG.info("OAuth callback for connection {} without a token: {}", connectionName, reason);
        // A decision that does not come (or fails) is the answer; a rejection or an ending alike answer 400.
        return Mono.from(commands.execute(connectionName, commandId, command, outcome -> Mono.just(HttpResponse.ok())))
                .onErrorMap(e -> e instanceof ProblemException p && p.status() < 500, e -> invalidState(detail))
                .<MutableHttpResponse<?>>map(ended -> invalid(detail));
    }

    private static MutableHttpResponse<?> connectedPage(String connectionName) {
        String html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Connected</title></head>"
                + "<body><h1>Connected</h1><p>" + connectionName
                + " is connected. You can close this window.</p></body></html>";
        return HttpResponse.ok(html).contentType(MediaType.TEXT_HTML_TYPE);
    }

    private static ProblemException invalidState(String detail) {
        return new ProblemException(400, "invalid-state", "Bad Request", detail, List.of(), Map.of());
    }

    private static MutableHttpResponse<?> invalid(String detail) {
        return ProblemResponses.of(invalidState(detail));
    }
}
