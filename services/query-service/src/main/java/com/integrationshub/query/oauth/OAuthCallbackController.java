package com.integrationshub.query.oauth;

import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.query.http.StateReader;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.problem.ProblemResponses;
import com.integrationshub.query.streams.StoreNames;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.AuthorizationState;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * GET /v1/oauth/callback: where the provider sends the person back. Exchanges the code with the flow's PKCE verifier
 * and stores the token for whoever started the flow. An unknown, used or expired state, or a provider error, is a
 * 400 and nothing is stored.
 */
@Controller("/v1/oauth/callback")
public class OAuthCallbackController {

    private static final Logger LOG = LoggerFactory.getLogger(OAuthCallbackController.class);

    private final OAuthFlows flows;
    private final StateReader state;
    private final TokenEndpoint tokenEndpoint;
    private final SecretBox box;
    private final MappingTokenLinks links;
    private final Duration retryAfter;

    public OAuthCallbackController(OAuthFlows flows, StateReader state, TokenEndpoint tokenEndpoint, SecretBox box,
                                   MappingTokenLinks links, @Value("${hub.commands.retry-after}") Duration retryAfter) {
        this.links = links;
        this.flows = flows;
        this.state = state;
        this.tokenEndpoint = tokenEndpoint;
        this.box = box;
        this.retryAfter = retryAfter;
    }

    /** Completes an authorization-code flow. */
    @Get
    public Publisher<MutableHttpResponse<?>> callback(HttpRequest<?> request, @Nullable @QueryValue String code,
                                                      @Nullable @QueryValue String state,
                                                      @Nullable @QueryValue String error) {
        String connectionName = OAuthFlows.connectionOf(state).orElse(null);
        if (connectionName == null) return Mono.just(invalid("unknown state"));
        String stateHash = OAuthFlows.sha256Hex(state);
        return this.state.<AuthorizationState>get(StoreNames.AUTHORIZATIONS, connectionName, stateHash)
                .flatMap(found -> {
                    AuthorizationState flow = found.orElseThrow(() -> invalidState("unknown state"));
                    if (flow.getUsed()) throw invalidState("the state was already used");
                    if (!Instant.now().isBefore(flow.getExpiresAt())) throw invalidState("the authorization expired; start again");
                    if (error != null) throw invalidState("the provider answered " + error);
                    if (code == null || code.isBlank()) throw invalidState("the callback has no code");
                    String verifier = box.open(flow.getPkceVerifier(), SecretPlaces.pkceVerifier(connectionName, stateHash));
                    return flows.connection(connectionName).flatMap(connection -> tokenEndpoint.exchangeCode(
                                    flows.client(connection), OAuthFlows.fill(connection.getTokenUrl(), flow.getEntityId()),
                                    code, verifier, flow.getRedirectUri())
                            .onErrorMap(TokenEndpoint.ProviderRefusedException.class,
                                    e -> invalidState("the provider refused the code: " + e.code())))
                            .flatMap(token -> flows.issue(request, connectionName, flow.getIntegrationName(), flow.getOrgId(),
                                    flow.getEntityId(), stateHash, token))
                            .flatMap(issued -> {
                                if (issued.getStatus().getCode() >= 300) {
                                    // Rejected by the decider (e.g. the same state completed concurrently): nothing stored.
                                    return Mono.just(issued.getStatus().getCode() == 400 ? issued : invalid("the state could not be used"));
                                }
                                LOG.info("OAuth connection {} authorized for org {}", connectionName, flow.getOrgId());
                                return links.link(request, flow).thenReturn(connectedPage(connectionName));
                            });
                })
                .onErrorResume(e -> Mono.<MutableHttpResponse<?>>just(ProblemResponses.fromFailure(e, retryAfter)));
    }

    private static MutableHttpResponse<?> connectedPage(String connectionName) {
        String html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Connected</title></head>"
                + "<body><h1>Connected</h1><p>" + connectionName + " is connected. You can close this window.</p></body></html>";
        return HttpResponse.ok(html).contentType(MediaType.TEXT_HTML_TYPE);
    }

    private static ProblemException invalidState(String detail) {
        return new ProblemException(400, "invalid-state", "Bad Request", detail, List.of(), Map.of());
    }

    private static MutableHttpResponse<?> invalid(String detail) {
        return ProblemResponses.of(invalidState(detail));
    }
}
