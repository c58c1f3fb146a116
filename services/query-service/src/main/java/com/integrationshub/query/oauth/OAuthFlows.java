package com.integrationshub.query.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.commands.IssueToken;
import com.integrationshub.commands.StartAuthorization;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.ClientAuthMethod;
import com.integrationshub.common.GrantType;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.domain.credentials.ConnectScheme;
import com.integrationshub.oauth.client.ClientAuthentication;
import com.integrationshub.oauth.client.EntityIds;
import com.integrationshub.oauth.client.FormEncoding;
import com.integrationshub.oauth.client.OAuthClient;
import com.integrationshub.oauth.client.TokenEndpointClient;
import com.integrationshub.oauth.client.TokenOutcome;
import com.integrationshub.oauth.client.TokenRequest;
import com.integrationshub.oauth.client.TokenResponse;
import com.integrationshub.query.http.Responses;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.route.StateReader;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.write.CommandResponder;
import com.integrationshub.query.write.WriteRequests;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.ConnectionState;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * Connecting an OAuth connection for an org (or globally): the authorization-code flow with PKCE S256 and a
 * single-use state, or, for client credentials, fetching the token right away.
 */
@Singleton
public class OAuthFlows {

    /** Separates the random part of a state from the connection it belongs to (unreserved in URLs, never in names). */
    static final String STATE_SEPARATOR = "~";

    private static final int STATE_BYTES = 32;
    private static final int VERIFIER_BYTES = 48;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();
    private final StateReader state;
    private final CommandResponder commands;
    private final SecretBox box;
    private final TokenEndpointClient tokenEndpoint;
    private final Provider<EmbeddedServer> server;
    private final String configuredRedirectUri;
    private final Duration authorizationTtl;
    private final Clock clock;
    private final OAuth1Flows oauth1;

    public OAuthFlows(
            OAuth1Flows oauth1,
            StateReader state,
            CommandResponder commands,
            SecretBox box,
            TokenEndpointClient tokenEndpoint,
            Provider<EmbeddedServer> server,
            OAuthFlowSettings settings,
            Clock clock) {
        this.clock = clock;
        this.oauth1 = oauth1;
        this.state = state;
        this.commands = commands;
        this.box = box;
        this.tokenEndpoint = tokenEndpoint;
        this.server = server;
        this.configuredRedirectUri = settings.configuredRedirectUri();
        this.authorizationTtl = settings.authorizationTtl();
    }

    /** Connects: 201 with `redirect_url` for a person to authorize, or with the token fetched for client credentials. */
    public Mono<MutableHttpResponse<?>> connect(
            HttpRequest<?> request, String connectionName, String integrationName, String orgId, String entityId) {
        return connect(request, null, connectionName, integrationName, orgId, entityId);
    }

    /**
     * Connects for an integration of `scheme` (OAUTH1 or OAUTH2; null for a connection's global token, whatever it
     * speaks): the connection must speak that protocol.
     */
    public Mono<MutableHttpResponse<?>> connect(
            HttpRequest<?> request,
            AuthScheme scheme,
            String connectionName,
            String integrationName,
            String orgId,
            String entityId) {
        return connection(connectionName)
                .map(connection -> {
                    if (scheme != null) {
                        ConnectScheme.grantRefusal(scheme, connection.getGrantType(), connectionName)
                                .ifPresent(why -> {
                                    throw ProblemException.invalid("auth_scheme", why);
                                });
                    }
                    boolean needsEntity = EntityIds.needsEntity(connection.getAuthorizationUrl())
                            || EntityIds.needsEntity(connection.getTokenUrl())
                            || EntityIds.needsEntity(connection.getRequestTokenUrl());
                    if (entityId == null && needsEntity) {
                        throw ProblemException.invalid(
                                "entity_id",
                                "connection '" + connectionName + "' has {entity_id} in "
                                        + "its URLs: map the org to its entity first (PUT .../mappings/{org_id})");
                    }
                    if (needsEntity) {
                        try {
                            EntityIds.segment(entityId);
                        } catch (EntityIds.EntityIdRefusedException e) {
                            throw ProblemException.invalid(
                                    "entity_id",
                                    "the org's mapped entity id cannot fill {entity_id} "
                                            + "in the connection's URLs: it " + e.getMessage());
                        }
                    }
                    return connection;
                })
                .flatMap(connection -> connection.getGrantType() == GrantType.CLIENT_CREDENTIALS
                        ? fetchClientCredentials(request, connection, integrationName, orgId, entityId)
                        : (connection.getGrantType() == GrantType.OAUTH1
                                        ? oauth1.start(
                                                request,
                                                connection,
                                                integrationName,
                                                orgId,
                                                entityId,
                                                newState(connection.getName()),
                                                redirectUri())
                                        : start(request, connection, integrationName, orgId, entityId))
                                .map(redirect -> {
                                    ObjectNode body = JsonBody.mapper().createObjectNode();
                                    body.put("connection_id", Names.tokenId(connectionName, orgId));
                                    body.put("redirect_url", redirect);
                                    return Responses.ok(body).status(HttpStatus.CREATED);
                                }));
    }

    /** Starts an authorization-code flow and returns the provider URL the person is sent to. */
    public Mono<String> start(
            HttpRequest<?> request, ConnectionState connection, String integrationName, String orgId, String entityId) {
        String stateValue = newState(connection.getName());
        String verifier = randomToken(VERIFIER_BYTES);
        String stateHash = sha256Hex(stateValue);
        String redirectUri = redirectUri();
        String commandId = UUID.randomUUID().toString();
        StartAuthorization command = StartAuthorization.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(clock.instant())
                .setIssuedBy(WriteRequests.issuedBy(request))
                .setConnectionId(Names.tokenId(connection.getName(), orgId))
                .setStateHash(stateHash)
                .setConnectionName(connection.getName())
                .setIntegrationName(integrationName)
                .setOrgId(orgId)
                .setEntityId(entityId)
                .setPkceVerifier(box.seal(verifier, SecretPlaces.pkceVerifier(connection.getName(), stateHash)))
                .setRedirectUri(redirectUri)
                .setExpiresAt(clock.instant().plus(authorizationTtl))
                .build();
        String authorizeUrl;
        try {
            authorizeUrl = authorizeUrl(connection, entityId, redirectUri, stateValue, verifier);
        } catch (EntityIds.EntityIdRefusedException e) {
            return Mono.error(ProblemException.invalid(
                    "entity_id",
                    "the org's mapped entity id cannot fill {entity_id} " + "in the connection's URLs: it "
                            + e.getMessage()));
        }
        // A rejection fails with its problem.
        return Mono.from(commands.execute(
                        connection.getName(),
                        commandId,
                        command,
                        outcome -> Mono.just(Responses.ok(JsonBody.mapper().createObjectNode()))))
                .thenReturn(authorizeUrl);
    }

    /** A new single-use state of a flow of the connection: random, and naming the connection it belongs to. */
    String newState(String connectionName) {
        return randomToken(STATE_BYTES) + STATE_SEPARATOR + connectionName;
    }

    /** The connection, or a 404 problem. */
    public Mono<ConnectionState> connection(String name) {
        return state.<ConnectionState>get(StoreNames.CONNECTIONS, name, name)
                .map(found -> found.orElseThrow(
                        () -> ProblemException.notFound("OAuth connection '" + name + "' does not exist")));
    }

    /** This service's callback URL, where providers send the person back. */
    public String redirectUri() {
        if (!configuredRedirectUri.isBlank()) return configuredRedirectUri;
        EmbeddedServer s = server.get();
        return "http://" + s.getHost() + ":" + s.getPort() + "/v1/oauth/callback";
    }

    /**
     * The connection's URL with {entity_id} filled with the org's entity (one path segment, see {@link EntityIds}), as
     * shown to callers: no entity fills it with nothing, an entity id that cannot be a segment leaves it unfilled.
     * Calls use {@link EntityIds#fill}, which refuses both.
     */
    public static String fill(String url, String entityId) {
        if (!EntityIds.needsEntity(url)) return url;
        if (entityId == null) return url.replace(EntityIds.PLACEHOLDER, "");
        try {
            return EntityIds.fill(url, entityId);
        } catch (EntityIds.EntityIdRefusedException e) {
            return url;
        }
    }

    /**
     * Calls the connection's token endpoint (through the outbound guard, redirects never followed); fails with
     * {@link ProviderRefusedException} when no token came back.
     */
    public Mono<TokenResponse> token(String tokenUrl, OAuthClient client, TokenRequest grant) {
        return Mono.fromFuture(() -> tokenEndpoint.request(tokenUrl, client, grant))
                .map(outcome -> {
                    if (outcome instanceof TokenOutcome.Granted granted) return granted.token();
                    throw new ProviderRefusedException(outcome.reason());
                });
    }

    /** SHA-256 of a state, hex: the only form in which a state is kept. */
    public static String sha256Hex(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The connection a state belongs to, or empty when the state is not one of ours. */
    public static Optional<String> connectionOf(String stateValue) {
        if (stateValue == null) return Optional.empty();
        int at = stateValue.lastIndexOf(STATE_SEPARATOR);
        if (at <= 0) return Optional.empty();
        String name = stateValue.substring(at + 1);
        return Names.valid(name) ? Optional.of(name) : Optional.empty();
    }

    /** The client credentials of a connection, its secret opened. */
    public OAuthClient client(ConnectionState connection) {
        String secret = connection.getClientSecret() == null
                ? null
                : box.open(connection.getClientSecret(), SecretPlaces.clientSecret(connection.getName()));
        return new OAuthClient(
                connection.getClientId(),
                secret,
                connection.getClientAuthMethod() == ClientAuthMethod.CLIENT_SECRET_POST
                        ? ClientAuthentication.POST
                        : ClientAuthentication.BASIC);
    }

    /** Records a token obtained from the provider; completes with the 201 answer, or fails with the rejection. */
    public Mono<MutableHttpResponse<?>> issue(
            HttpRequest<?> request,
            String connectionName,
            String integrationName,
            String orgId,
            String entityId,
            String stateHash,
            TokenResponse token) {
        String tokenId = Names.tokenId(connectionName, orgId);
        String commandId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        IssueToken command = IssueToken.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(now)
                .setIssuedBy(WriteRequests.issuedBy(request))
                .setTokenId(tokenId)
                .setConnectionName(connectionName)
                .setIntegrationName(integrationName)
                .setOrgId(orgId)
                .setEntityId(entityId)
                .setStateHash(stateHash)
                .setAccessToken(box.seal(token.accessToken(), SecretPlaces.accessToken(tokenId)))
                .setRefreshToken(
                        token.refreshToken() == null
                                ? null
                                : box.seal(token.refreshToken(), SecretPlaces.refreshToken(tokenId)))
                .setTokenType(token.tokenType() == null ? "Bearer" : token.tokenType())
                .setExpiresAt(token.expiresIn() == null ? null : now.plusSeconds(token.expiresIn()))
                .setScopes(token.scopes())
                .build();
        return Mono.from(commands.execute(connectionName, commandId, command, outcome -> {
            ObjectNode body = JsonBody.mapper().createObjectNode();
            body.put("connection_id", tokenId);
            if (command.getExpiresAt() != null)
                body.put("expires_at", command.getExpiresAt().toString());
            return Mono.just(Responses.ok(body).status(HttpStatus.CREATED));
        }));
    }

    private Mono<MutableHttpResponse<?>> fetchClientCredentials(
            HttpRequest<?> request, ConnectionState connection, String integrationName, String orgId, String entityId) {
        return Mono.defer(() -> token(
                        EntityIds.fill(connection.getTokenUrl(), entityId),
                        client(connection),
                        TokenRequest.clientCredentials(connection.getScopes())))
                .onErrorMap(
                        ProviderRefusedException.class,
                        e -> new ProblemException(
                                502,
                                "provider-error",
                                "Bad Gateway",
                                "the provider refused the client credentials: " + e.code(),
                                List.of(),
                                Map.of()))
                .flatMap(token -> issue(request, connection.getName(), integrationName, orgId, entityId, null, token));
    }

    private String authorizeUrl(
            ConnectionState connection, String entityId, String redirectUri, String stateValue, String verifier) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", connection.getClientId());
        query.put("redirect_uri", redirectUri);
        if (!connection.getScopes().isEmpty()) query.put("scope", String.join(" ", connection.getScopes()));
        query.put("state", stateValue);
        query.put("code_challenge", BASE64URL.encodeToString(sha256(verifier)));
        query.put("code_challenge_method", "S256");
        connection.getExtraAuthorizeParams().forEach(query::putIfAbsent);
        String base = EntityIds.fill(connection.getAuthorizationUrl(), entityId);
        String params = FormEncoding.encode(query);
        return base + (base.contains("?") ? "&" : "?") + params;
    }

    private String randomToken(int bytes) {
        byte[] buffer = new byte[bytes];
        random.nextBytes(buffer);
        return BASE64URL.encodeToString(buffer);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
