package com.integrationshub.query.credentials;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.commands.SetCredentials;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.credentials.ConnectScheme;
import com.integrationshub.query.http.Responses;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.oauth.OAuthFlows;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.route.StateReader;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.write.CommandResponder;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Connecting an org to an integration, whoever asks (POST /v1/orgs/{org}/integrations/{name}/connect, the hosted
 * connect page): static credentials become a SetCredentials command, OAuth 2.0 and 1.0a start an authorization.
 */
@Singleton
public class ConnectCommands {

    private final StateReader state;
    private final CommandResponder commands;
    private final OAuthFlows flows;
    private final StaticCredentialsCommands staticCommands;

    public ConnectCommands(
            StateReader state, CommandResponder commands, OAuthFlows flows, StaticCredentialsCommands staticCommands) {
        this.state = state;
        this.commands = commands;
        this.flows = flows;
        this.staticCommands = staticCommands;
    }

    /**
     * 201 {"connection_id"} (static schemes) or {"connection_id", "redirect_url"} (OAuth); `scheme` null means the
     * integration's own. `json` is the parsed request (its field errors are thrown as one 422), `body` its text.
     */
    public Mono<MutableHttpResponse<?>> connect(
            HttpRequest<?> request,
            String orgId,
            String name,
            @Nullable AuthScheme scheme,
            ObjectNode data,
            JsonBody json,
            String body) {
        return integration(name).flatMap(integration -> {
            AuthScheme used = scheme == null ? integration.getAuthScheme() : scheme;
            ConnectScheme.refusal(integration, used).ifPresent(why -> {
                throw ProblemException.invalid("auth_scheme", why);
            });
            if (used == AuthScheme.OAUTH2 || used == AuthScheme.OAUTH1) {
                return mapping(name, orgId)
                        .flatMap(mapping -> flows.connect(
                                request,
                                used,
                                integration.getOauthConnection(),
                                name,
                                orgId,
                                mapping.map(MappingState::getEntityId).orElse(null)));
            }
            SetCredentials command = staticCommands.set(request, name, orgId, used, data, json, body);
            return Mono.from(commands.execute(name, command.getCommandId(), command, outcome -> {
                ObjectNode out = JsonBody.mapper().createObjectNode();
                out.put("connection_id", command.getConnectionId());
                return Mono.just(Responses.ok(out).status(HttpStatus.CREATED));
            }));
        });
    }

    /** The integration; fails 404 when there is none of that name. */
    public Mono<IntegrationState> integration(String name) {
        return state.<IntegrationState>get(StoreNames.INTEGRATIONS, name, name)
                .map(i -> i.orElseThrow(() -> ProblemException.notFound("integration '" + name + "' does not exist")));
    }

    /** The org's mapping of the integration, if any. */
    public Mono<Optional<MappingState>> mapping(String name, String orgId) {
        return state.get(StoreNames.MAPPINGS, name, Names.mappingKey(name, orgId));
    }
}
