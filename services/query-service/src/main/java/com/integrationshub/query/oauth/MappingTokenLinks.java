package com.integrationshub.query.oauth;

import com.integrationshub.commands.UpsertMapping;
import com.integrationshub.domain.Names;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.route.StateReader;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.write.CommandResponder;
import com.integrationshub.query.write.WriteRequests;
import com.integrationshub.state.AuthorizationState;
import com.integrationshub.state.MappingState;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/** Links an org's newly issued token to the org's mapping (`oauth_token_id`), when the org is mapped. */
@Singleton
public class MappingTokenLinks {

    private static final Logger LOG = LoggerFactory.getLogger(MappingTokenLinks.class);

    private final StateReader state;
    private final CommandResponder commands;
    private final Clock clock;

    public MappingTokenLinks(StateReader state, CommandResponder commands, Clock clock) {
        this.clock = clock;
        this.state = state;
        this.commands = commands;
    }

    /** Re-upserts the mapping with the token id, guarded by its version; a mapping changed meanwhile keeps its own. */
    public Mono<Void> link(HttpRequest<?> request, AuthorizationState flow) {
        String integration = flow.getIntegrationName();
        String orgId = flow.getOrgId();
        if (integration == null || orgId == null) return Mono.empty();
        String tokenId = Names.tokenId(flow.getConnectionName(), orgId);
        return state.<MappingState>get(StoreNames.MAPPINGS, integration, Names.mappingKey(integration, orgId))
                .flatMap(found -> {
                    if (found.isEmpty() || Objects.equals(found.get().getOauthTokenId(), tokenId)) return Mono.empty();
                    MappingState m = found.get();
                    String commandId = UUID.randomUUID().toString();
                    UpsertMapping command = UpsertMapping.newBuilder()
                            .setCommandId(commandId)
                            .setIssuedAt(clock.instant())
                            .setIssuedBy(WriteRequests.issuedBy(request))
                            .setExpectedVersion(m.getVersion())
                            .setIntegrationName(integration)
                            .setOrgId(orgId)
                            .setEntityId(m.getEntityId())
                            .setEntityName(m.getEntityName())
                            .setConfig(m.getConfig())
                            .setOauthTokenId(tokenId)
                            .build();
                    // Rejected (the mapping changed meanwhile): it keeps its own oauth_token_id.
                    return Mono.from(commands.execute(
                                    integration, commandId, command, outcome -> Mono.just(HttpResponse.ok())))
                            .then()
                            .onErrorResume(ProblemException.class, rejected -> Mono.empty());
                })
                // The token is stored and found by its id either way; a failed link only leaves oauth_token_id unset.
                .onErrorResume(e -> {
                    LOG.warn("could not link token {} to the mapping of org {}: {}", tokenId, orgId, e.toString());
                    return Mono.empty();
                });
    }
}
