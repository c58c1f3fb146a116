package com.integrationshub.query.oauth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.domain.token.TokenStatus;
import com.integrationshub.query.apidoc.ApiSchemas;
import com.integrationshub.query.http.Responses;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.route.ReadRouter;
import com.integrationshub.query.route.Views;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.write.WriteRequests;
import com.integrationshub.state.ConnectionState;
import com.integrationshub.state.TokenState;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.reactivestreams.Publisher;

/**
 * GET /v1/oauth/connections/{name}/tokens (admin): how a connection's tokens stand — counts by status, every token
 * (the global one and each org's) with its status, expiry and, for a refused one, why — soonest expiry first, so the
 * next refreshes come first. No token value, sealed or clear, is ever part of it. Tokens live on their connection's
 * partition, so this is one read routed like the connection's.
 */
@Tag(name = "OAuth connections", description = "OAuth connections (admin)")
@ApiResponse(responseCode = "401", ref = ApiSchemas.UNAUTHORIZED)
@ApiResponse(responseCode = "403", ref = ApiSchemas.FORBIDDEN)
@Controller("/v1/oauth/connections/{name}/tokens")
public class TokenHealthController {

    private final ReadRouter router;
    private final Clock clock;

    public TokenHealthController(ReadRouter router, Clock clock) {
        this.router = router;
        this.clock = clock;
    }

    /** The connection's token health, or 404 when the connection does not exist. */
    @Get
    @Operation(operationId = "getOAuthTokenHealth", summary = "Reads the health of an OAuth connection's tokens")
    @ApiResponse(
            responseCode = "200",
            description = "Counts by status and every token, soonest expiry first, without secrets",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.TokenHealth.class)))
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> health(HttpRequest<?> request, @PathVariable String name) {
        WriteRequests.name("name", name);
        return router.answer(request, name, (views, stale) -> render(views, name, stale));
    }

    private MutableHttpResponse<?> render(Views views, String name, boolean stale) {
        views.<ConnectionState>get(StoreNames.CONNECTIONS, name, name, stale)
                .orElseThrow(() -> ProblemException.notFound("OAuth connection '" + name + "' does not exist"));
        Instant now = clock.instant();
        List<TokenState> tokens = views.tokens(name, stale).stream()
                .sorted(Comparator.comparing(
                                TokenState::getExpiresAt, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
                        .thenComparing(TokenState::getTokenId))
                .toList();
        Map<TokenStatus, Integer> counts = new EnumMap<>(TokenStatus.class);
        ObjectNode out = JsonBody.mapper().createObjectNode();
        out.put("connection_name", name);
        ObjectNode countsJson = out.putObject("counts");
        ArrayNode list = out.putArray("tokens");
        for (TokenState token : tokens) {
            TokenStatus status = TokenStatus.of(Optional.of(token), now);
            counts.merge(status, 1, Integer::sum);
            ObjectNode entry = list.addObject();
            entry.put("token_id", token.getTokenId());
            entry.put("org_id", token.getOrgId());
            entry.put("integration_name", token.getIntegrationName());
            entry.put("status", status.value());
            entry.put(
                    "expires_at",
                    token.getExpiresAt() == null ? null : token.getExpiresAt().toString());
            entry.put(
                    "refreshed_at",
                    token.getRefreshedAt() == null
                            ? null
                            : token.getRefreshedAt().toString());
            entry.put("reauth_reason", status == TokenStatus.NEEDS_REAUTH ? token.getLastFailure() : null);
            entry.put("version", token.getVersion());
        }
        for (TokenStatus status : List.of(TokenStatus.ACTIVE, TokenStatus.EXPIRED, TokenStatus.NEEDS_REAUTH)) {
            countsJson.put(status.value(), counts.getOrDefault(status, 0));
        }
        // No ETag: the tokens change without the connection's version changing.
        return Responses.ok(out);
    }
}
