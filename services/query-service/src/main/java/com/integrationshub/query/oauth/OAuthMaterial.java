package com.integrationshub.query.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.GrantType;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.domain.token.TokenChoice;
import com.integrationshub.domain.token.TokenDecider;
import com.integrationshub.domain.token.TokenStatus;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.route.StateReader;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.ConnectionState;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import com.integrationshub.state.TokenState;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * The OAuth side of an org's view: the integration's connection and the token that serves the org, own then global
 * ({@link TokenChoice}). A token found expired is refreshed first when it can be, rather than served expired.
 */
@Singleton
public class OAuthMaterial {

    private final StateReader state;
    private final TokenRefreshes refreshes;
    private final SecretBox box;
    private final Clock clock;

    public OAuthMaterial(StateReader state, TokenRefreshes refreshes, SecretBox box, Clock clock) {
        this.state = state;
        this.refreshes = refreshes;
        this.box = box;
        this.clock = clock;
    }

    /** The connection and token for the org (null org: the global scope); empty when the integration has no connection. */
    public Mono<Optional<Material>> find(
            HttpRequest<?> request, IntegrationState integration, Optional<MappingState> mapping, String orgIdOrNull) {
        String connectionName = integration.getOauthConnection();
        if (connectionName == null) return Mono.just(Optional.empty());
        return state.<ConnectionState>get(StoreNames.CONNECTIONS, connectionName, connectionName)
                .flatMap(connection -> {
                    if (connection.isEmpty()) return Mono.just(Optional.empty());
                    return token(connectionName, mapping, orgIdOrNull)
                            .flatMap(token -> refreshIfExpired(request, connection.get(), token))
                            .map(token -> Optional.of(new Material(
                                    connection.get(),
                                    token,
                                    mapping.map(MappingState::getEntityId).orElse(null))));
                });
    }

    /**
     * The `oauth` member of IntegrationData, secrets revealed; without `platformKeys` (an org token, API.md
     * Conventions) the platform's OAuth keys read null: the client secret, and the refresh token of a token that is
     * not the org's own (the connection's global token).
     */
    public ObjectNode json(Material m, boolean platformKeys) {
        ConnectionState c = m.connection();
        ObjectNode out = JsonBody.mapper().createObjectNode();
        out.put("connection_name", c.getName());
        out.put("client_id", c.getClientId());
        if (c.getGrantType() == GrantType.OAUTH1) return oauth1(m, out);
        out.put(
                "client_secret",
                c.getClientSecret() == null || !platformKeys
                        ? null
                        : box.open(c.getClientSecret(), SecretPlaces.clientSecret(c.getName())));
        out.put("authorization_url", OAuthFlows.fill(c.getAuthorizationUrl(), m.entityId()));
        out.put("token_url", OAuthFlows.fill(c.getTokenUrl(), m.entityId()));
        var scopes = out.putArray("scopes");
        c.getScopes().forEach(scopes::add);
        Optional<TokenState> token = m.usableToken();
        out.put(
                "access_token",
                token.map(t -> box.open(t.getAccessToken(), SecretPlaces.accessToken(t.getTokenId())))
                        .orElse(null));
        out.put(
                "refresh_token",
                token.filter(t -> t.getRefreshToken() != null)
                        .filter(t -> platformKeys || !t.getTokenId().equals(Names.tokenId(c.getName(), null)))
                        .map(t -> box.open(t.getRefreshToken(), SecretPlaces.refreshToken(t.getTokenId())))
                        .orElse(null));
        return health(m, token, out);
    }

    /**
     * OAuth 1.0a's member (API.md): the token credentials and how they sign; the consumer secret is the platform's
     * and never shown (POST .../sign signs with it).
     */
    private ObjectNode oauth1(Material m, ObjectNode out) {
        out.put("signature_method", ConnectionJson.signatureName(m.connection()));
        Optional<TokenState> token = m.usableToken();
        out.put(
                "access_token",
                token.map(t -> box.open(t.getAccessToken(), SecretPlaces.accessToken(t.getTokenId())))
                        .orElse(null));
        out.put(
                "token_secret",
                token.filter(t -> t.getTokenSecret() != null)
                        .map(t -> box.open(t.getTokenSecret(), SecretPlaces.tokenSecret(t.getTokenId())))
                        .orElse(null));
        return health(m, token, out);
    }

    /**
     * The token's expiry, status and, when a person must connect again (the provider's refusal, or
     * refresh_outcome_lost), why: people see why.
     */
    private ObjectNode health(Material m, Optional<TokenState> token, ObjectNode out) {
        out.put(
                "expires_at",
                token.map(TokenState::getExpiresAt).map(Instant::toString).orElse(null));
        TokenStatus status = m.status(clock.instant());
        out.put("status", status.value());
        out.put(
                "reauth_reason",
                status == TokenStatus.NEEDS_REAUTH
                        ? m.token().map(TokenState::getLastFailure).orElse(null)
                        : null);
        return out;
    }

    private Mono<Optional<TokenState>> token(
            String connectionName, Optional<MappingState> mapping, String orgIdOrNull) {
        return first(
                connectionName,
                TokenChoice.candidates(connectionName, mapping.map(MappingState::getOauthTokenId), orgIdOrNull));
    }

    private Mono<Optional<TokenState>> first(String connectionName, List<String> tokenIds) {
        if (tokenIds.isEmpty()) return Mono.just(Optional.empty());
        return state.<TokenState>get(StoreNames.TOKENS, connectionName, tokenIds.get(0))
                .map(t -> t.filter(TokenChoice::serves))
                .flatMap(found -> found.isPresent()
                        ? Mono.just(found)
                        : first(connectionName, tokenIds.subList(1, tokenIds.size())));
    }

    private Mono<Optional<TokenState>> refreshIfExpired(
            HttpRequest<?> request, ConnectionState connection, Optional<TokenState> token) {
        if (token.isEmpty()
                || !TokenStatus.expired(token.get(), clock.instant())
                || !TokenDecider.ACTIVE.equals(token.get().getStatus())) {
            return Mono.just(token);
        }
        boolean refreshable =
                token.get().getRefreshToken() != null || connection.getGrantType() == GrantType.CLIENT_CREDENTIALS;
        if (!refreshable) return Mono.just(token);
        return refreshes
                .refreshNow(request, token.get())
                .flatMap(outcome ->
                        first(connection.getName(), List.of(token.get().getTokenId())))
                .onErrorResume(e -> Mono.just(token));
    }

    /** A connection, the token serving the org (if any) and the org's entity id for URL templates. */
    public record Material(ConnectionState connection, Optional<TokenState> token, String entityId) {

        /** The status of the serving token at `now`. */
        public TokenStatus status(Instant now) {
            return TokenStatus.of(token, now);
        }

        /** The token, unless the provider refused it. */
        public Optional<TokenState> usableToken() {
            return token.filter(t -> !TokenDecider.NEEDS_REAUTH.equals(t.getStatus()));
        }
    }
}
