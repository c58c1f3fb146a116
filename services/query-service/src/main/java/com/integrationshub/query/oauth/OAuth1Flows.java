package com.integrationshub.query.oauth;

import com.integrationshub.commands.IssueToken;
import com.integrationshub.commands.RecordTokenRefreshFailure;
import com.integrationshub.commands.StartAuthorization;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.domain.oauth1.OAuth1Client;
import com.integrationshub.domain.oauth1.OAuth1Signer;
import com.integrationshub.domain.oauth1.OAuth1Token;
import com.integrationshub.domain.oauth1.ProviderAnswers;
import com.integrationshub.domain.oauth1.RequestToSign;
import com.integrationshub.domain.oauth1.SignatureMethod;
import com.integrationshub.domain.oauth1.SignedRequest;
import com.integrationshub.domain.oauth1.SigningRefused;
import com.integrationshub.oauth.client.EntityIds;
import com.integrationshub.oauth.client.FormAnswer;
import com.integrationshub.oauth.client.TokenEndpointClient;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.write.CommandResponder;
import com.integrationshub.query.write.WriteRequests;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.AuthorizationState;
import com.integrationshub.state.ConnectionState;
import com.integrationshub.state.TokenState;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * OAuth 1.0a's three-legged flow (RFC 5849 §2): temporary credentials obtained with the hub's callback, the person
 * sent to the provider's authorize URL, and at the callback the temporary token and verifier exchanged for the token
 * credentials. The flow is an authorization like OAuth 2.0's (single use, expiry, state in the callback's query); its
 * temporary token secret is sealed in it. Every provider call goes through the outbound guard, never redirected.
 */
@Singleton
public class OAuth1Flows {

    private static final Logger LOG = LoggerFactory.getLogger(OAuth1Flows.class);
    /** oauth_problem="..." in a WWW-Authenticate: OAuth challenge. */
    private static final Pattern HEADER_PROBLEM = Pattern.compile("oauth_problem=\"?([a-z_]{1,64})\"?");

    /** Recorded on the flow and the token: which protocol made them. */
    public static final String SCHEME = "OAUTH1";

    private final TokenEndpointClient endpoints;
    private final SecretBox box;
    private final CommandResponder commands;
    private final OAuth1Signer signer;
    private final Duration authorizationTtl;
    private final Clock clock;

    public OAuth1Flows(
            TokenEndpointClient endpoints,
            SecretBox box,
            CommandResponder commands,
            OAuthFlowSettings settings,
            Clock clock) {
        this.endpoints = endpoints;
        this.box = box;
        this.commands = commands;
        this.signer = OAuth1Signer.withRandomNonces(clock);
        this.authorizationTtl = settings.authorizationTtl();
        this.clock = clock;
    }

    /** The signer every OAuth 1.0a request of this service is signed with (nonces random, time from the clock). */
    public OAuth1Signer signer() {
        return signer;
    }

    /**
     * Obtains temporary credentials with the callback {@code base?state=stateValue} and records the flow; completes
     * with the provider's authorize URL. A provider that refuses, does not answer, or answers without confirming the
     * callback is a 502.
     */
    public Mono<String> start(
            HttpRequest<?> request,
            ConnectionState connection,
            String integrationName,
            String orgId,
            String entityId,
            String stateValue,
            String base) {
        String stateHash = OAuthFlows.sha256Hex(stateValue);
        // RFC 5849 §2.2: the provider adds oauth_token and oauth_verifier to the callback's own query, so the state
        // comes back with them and the callback finds its flow as for OAuth 2.0.
        String callback = base + (base.contains("?") ? "&" : "?") + "state="
                + URLEncoder.encode(stateValue, StandardCharsets.UTF_8);
        String requestTokenUrl = fill(connection.getRequestTokenUrl(), entityId);
        OAuth1Client client = client(connection);
        SignedRequest signed =
                sign(RequestToSign.of("POST", requestTokenUrl), client, null, "oauth_callback", callback);
        return Mono.fromFuture(() -> endpoints.postSigned(requestTokenUrl, signed.authorization(), ""))
                .map(answer -> {
                    Optional<OAuth1Token> temporary =
                            answer.succeeded() ? ProviderAnswers.temporaryCredentials(answer.body()) : Optional.empty();
                    return temporary.orElseThrow(() -> providerError("temporary credentials", answer));
                })
                .flatMap(temporary -> {
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
                            .setPkceVerifier(box.seal(
                                    temporary.secret(),
                                    SecretPlaces.temporaryTokenSecret(connection.getName(), stateHash)))
                            .setTemporaryTokenHash(OAuthFlows.sha256Hex(temporary.token()))
                            .setAuthScheme(SCHEME)
                            .setRedirectUri(callback)
                            .setExpiresAt(clock.instant().plus(authorizationTtl))
                            .build();
                    String authorizeUrl = ProviderAnswers.authorizeUrl(
                            fill(connection.getAuthorizationUrl(), entityId), temporary.token());
                    return Mono.from(commands.execute(
                                    connection.getName(), commandId, command, outcome -> Mono.just(HttpResponse.ok())))
                            .thenReturn(authorizeUrl);
                });
    }

    /**
     * Exchanges the temporary token and verifier of a checked flow (known, unused, unexpired: the caller checked) for
     * the token credentials and records them; fails with {@link ProviderRefusedException} when the provider gives
     * none, or with the rejection when the flow was used meanwhile.
     */
    public Mono<MutableHttpResponse<?>> complete(
            HttpRequest<?> request,
            ConnectionState connection,
            AuthorizationState flow,
            String stateHash,
            String temporaryToken,
            String verifier) {
        String temporarySecret =
                box.open(flow.getPkceVerifier(), SecretPlaces.temporaryTokenSecret(connection.getName(), stateHash));
        String accessTokenUrl = fill(connection.getTokenUrl(), flow.getEntityId());
        SignedRequest signed = sign(
                RequestToSign.of("POST", accessTokenUrl),
                client(connection),
                new OAuth1Token(temporaryToken, temporarySecret),
                "oauth_verifier",
                verifier);
        return Mono.fromFuture(() -> endpoints.postSigned(accessTokenUrl, signed.authorization(), ""))
                .map(answer -> {
                    Optional<OAuth1Token> token =
                            answer.succeeded() ? ProviderAnswers.tokenCredentials(answer.body()) : Optional.empty();
                    return token.orElseThrow(() -> new ProviderRefusedException(refusal(answer)));
                })
                .flatMap(token -> issue(request, connection, flow, stateHash, token));
    }

    /**
     * The Authorization header for one request of the org whose material this is (its active token), and the token
     * it was signed with.
     */
    public Signature sign(OAuthMaterial.Material m, RequestToSign request) {
        TokenState token = m.token().orElseThrow();
        try {
            return new Signature(
                    token,
                    signer.sign(request, client(m.connection()), Optional.of(token(token)))
                            .authorization());
        } catch (SigningRefused e) {
            throw ProblemException.invalid(e.field(), e.reason());
        }
    }

    /**
     * The oauth_problem of a provider's refusal (OAuth Problem Reporting): in the WWW-Authenticate header, else in a
     * form-encoded body; only a short code of lower-case letters and underscores, never provider text.
     */
    public static Optional<String> problem(List<Map.Entry<String, String>> headers, String body) {
        for (var h : headers) {
            if (!h.getKey().equalsIgnoreCase("WWW-Authenticate")) continue;
            Matcher m = HEADER_PROBLEM.matcher(h.getValue());
            if (m.find()) return Optional.of(m.group(1));
        }
        return ProviderAnswers.problem(body).filter(p -> p.matches("[a-z_]{1,64}"));
    }

    /**
     * The provider refused the token with a problem that needs the person (token_rejected, permission_unknown ...):
     * the token is marked needs_reauth with a TokenRefreshFailed, as an OAuth 2.0 refusal is, so consumers of the
     * token events see it. Only while the token is still the refused version; a failure to record is not the
     * caller's (its answer is the provider's).
     */
    public Mono<Void> markRefused(HttpRequest<?> request, TokenState token, String problem) {
        String commandId = UUID.randomUUID().toString();
        RecordTokenRefreshFailure command = RecordTokenRefreshFailure.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(clock.instant())
                .setIssuedBy(WriteRequests.issuedBy(request))
                .setExpectedVersion(token.getVersion())
                .setTokenId(token.getTokenId())
                .setConnectionName(token.getConnectionName())
                .setIntegrationName(token.getIntegrationName())
                .setOrgId(token.getOrgId())
                .setReason(problem)
                .setAttempts(0)
                .setNeedsReauth(true)
                .build();
        LOG.info(
                "provider refused the OAuth 1.0a token {} ({}): it needs reauthorization", token.getTokenId(), problem);
        return Mono.from(commands.execute(
                        token.getConnectionName(), commandId, command, outcome -> Mono.just(HttpResponse.ok())))
                .then()
                .onErrorResume(e -> {
                    LOG.warn("could not record the refusal of token {}: {}", token.getTokenId(), e.toString());
                    return Mono.empty();
                });
    }

    /** A request's Authorization header and the token it was signed with. */
    public record Signature(TokenState token, String authorization) {
        @Override
        public String toString() {
            return "Signature[" + token.getTokenId() + "]";
        }
    }

    /** The consumer's credentials, its secret (or RSA key) opened. */
    public OAuth1Client client(ConnectionState connection) {
        String secret = box.open(connection.getClientSecret(), SecretPlaces.clientSecret(connection.getName()));
        return new OAuth1Client(connection.getClientId(), secret, method(connection));
    }

    /** The token credentials of a stored OAuth 1.0a token, opened. */
    public OAuth1Token token(TokenState token) {
        return new OAuth1Token(
                box.open(token.getAccessToken(), SecretPlaces.accessToken(token.getTokenId())),
                box.open(token.getTokenSecret(), SecretPlaces.tokenSecret(token.getTokenId())));
    }

    /** The connection's signature method in the signer's terms (HMAC-SHA1 when none is named). */
    public static SignatureMethod method(ConnectionState connection) {
        if (connection.getSignatureMethod() == null) return SignatureMethod.DEFAULT;
        return switch (connection.getSignatureMethod()) {
            case HMAC_SHA1 -> SignatureMethod.HMAC_SHA1;
            case HMAC_SHA256 -> SignatureMethod.HMAC_SHA256;
            case RSA_SHA1 -> SignatureMethod.RSA_SHA1;
            case PLAINTEXT -> SignatureMethod.PLAINTEXT;
        };
    }

    private Mono<MutableHttpResponse<?>> issue(
            HttpRequest<?> request,
            ConnectionState connection,
            AuthorizationState flow,
            String stateHash,
            OAuth1Token token) {
        String tokenId = Names.tokenId(connection.getName(), flow.getOrgId());
        String commandId = UUID.randomUUID().toString();
        IssueToken command = IssueToken.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(clock.instant())
                .setIssuedBy(WriteRequests.issuedBy(request))
                .setTokenId(tokenId)
                .setConnectionName(connection.getName())
                .setIntegrationName(flow.getIntegrationName())
                .setOrgId(flow.getOrgId())
                .setEntityId(flow.getEntityId())
                .setStateHash(stateHash)
                .setAccessToken(box.seal(token.token(), SecretPlaces.accessToken(tokenId)))
                .setTokenSecret(box.seal(token.secret(), SecretPlaces.tokenSecret(tokenId)))
                .setTokenType("OAuth")
                // OAuth 1.0a tokens do not expire: they stay valid until revoked, and are never refreshed.
                .setExpiresAt(null)
                .setScopes(List.of())
                .setAuthScheme(SCHEME)
                .build();
        return Mono.from(
                commands.execute(connection.getName(), commandId, command, outcome -> Mono.just(HttpResponse.ok())));
    }

    private SignedRequest sign(
            RequestToSign request, OAuth1Client client, OAuth1Token token, String extraName, String extraValue) {
        try {
            return signer.sign(request, client, Optional.ofNullable(token), Map.of(extraName, extraValue));
        } catch (SigningRefused e) {
            // The connection was accepted, so this is a stored key or URL that no longer signs: the admin's to fix.
            throw ProblemException.invalid(e.field().equals("url") ? "request_token_url" : e.field(), e.reason());
        }
    }

    private static String fill(String url, String entityId) {
        try {
            return EntityIds.fill(url, entityId);
        } catch (EntityIds.EntityIdRefusedException e) {
            throw ProblemException.invalid(
                    "entity_id",
                    "the org's mapped entity id cannot fill {entity_id} in the connection's URLs: it "
                            + e.getMessage());
        }
    }

    /** A short code for a provider's refusal: its oauth_problem when it names one (RFC 5849 problem reporting). */
    private static String refusal(FormAnswer answer) {
        if (answer.failure() != null) return answer.failure();
        return ProviderAnswers.problem(answer.body())
                .filter(p -> p.matches("[a-z_]{1,64}"))
                .orElse("http_" + answer.status());
    }

    private static ProblemException providerError(String what, FormAnswer answer) {
        return new ProblemException(
                502,
                "provider-error",
                "Bad Gateway",
                "the provider gave no " + what + ": " + refusal(answer),
                List.of(),
                Map.of());
    }
}
