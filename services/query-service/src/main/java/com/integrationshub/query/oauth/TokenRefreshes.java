package com.integrationshub.query.oauth;

import com.integrationshub.commands.RequestTokenRefresh;
import com.integrationshub.domain.Problems;
import com.integrationshub.query.commands.CommandGateway;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.view.RefreshOutcomeKeys;
import com.integrationshub.query.write.WriteRequests;
import com.integrationshub.replies.CommandOutcome;
import com.integrationshub.state.TokenState;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * Asks the token's refresher for a refresh now and waits for its answer (TokenRefreshed or TokenRefreshFailed).
 * Every request watches the token's answer key, so requests made while a refresh is under way are answered by it
 * (the refresher makes no second call for them); a token refreshed within hub.refresher.min-interval is not
 * refreshed again (the decider answers "refreshed recently") and the request is served the current token.
 */
@Singleton
public class TokenRefreshes {

    private final CommandGateway gateway;
    private final Duration refreshWait;
    private final Clock clock;

    public TokenRefreshes(CommandGateway gateway, OAuthFlowSettings settings, Clock clock) {
        this.clock = clock;
        this.gateway = gateway;
        this.refreshWait = settings.refreshWait();
    }

    /** The refresh's outcome: accepted with the new version, or rejected with its problem (needs_reauth, ...). */
    public Mono<CommandOutcome> refreshNow(HttpRequest<?> request, TokenState token) {
        return refresh(request, token, null);
    }

    /**
     * A refresh because the provider refused this token's access token (a 401 through the proxy): the minimum
     * interval does not apply while the token is still at this version.
     */
    public Mono<CommandOutcome> refreshRejected(HttpRequest<?> request, TokenState token) {
        return refresh(request, token, token.getVersion());
    }

    private Mono<CommandOutcome> refresh(HttpRequest<?> request, TokenState token, Long rejectedVersion) {
        String commandId = UUID.randomUUID().toString();
        RequestTokenRefresh command = RequestTokenRefresh.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(clock.instant())
                .setIssuedBy(WriteRequests.issuedBy(request))
                .setTokenId(token.getTokenId())
                .setConnectionName(token.getConnectionName())
                .setIntegrationName(token.getIntegrationName())
                .setOrgId(token.getOrgId())
                .setRejectedVersion(rejectedVersion)
                .build();
        var answer = gateway.watch(RefreshOutcomeKeys.of(token.getTokenId()), refreshWait);
        return Mono.fromFuture(gateway.send(token.getConnectionName(), commandId, command))
                .flatMap(requested -> {
                    if (requested.getAccepted()) return Mono.fromFuture(answer);
                    if (refreshedRecently(requested)) {
                        return Mono.just(CommandOutcome.newBuilder(requested)
                                .setAccepted(true)
                                .setProblem(null)
                                .build());
                    }
                    return Mono.just(requested);
                })
                .doFinally(signal -> answer.cancel(false));
    }

    private static boolean refreshedRecently(CommandOutcome outcome) {
        return outcome.getProblem() != null
                && Problems.REFRESHED_RECENTLY.equals(outcome.getProblem().getType());
    }

    /** A problem for a refresh that did not produce a token. */
    public static ProblemException failure(CommandOutcome outcome) {
        var p = outcome.getProblem();
        return new ProblemException(p.getStatus(), p.getType(), p.getTitle(), p.getDetail(), List.of(), Map.of());
    }
}
