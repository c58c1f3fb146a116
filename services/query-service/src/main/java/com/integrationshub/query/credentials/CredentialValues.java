package com.integrationshub.query.credentials;

import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.GrantType;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.domain.config.MergedConfig;
import com.integrationshub.domain.credentials.CredentialsChoice;
import com.integrationshub.domain.credentials.HeaderTemplates;
import com.integrationshub.domain.token.TokenStatus;
import com.integrationshub.query.json.ConfigJson;
import com.integrationshub.query.oauth.ConnectionJson;
import com.integrationshub.query.oauth.OAuthFlows;
import com.integrationshub.query.oauth.OAuthMaterial;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.route.StateReader;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.CredentialsState;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * The values an org calls an integration's API with, opened: the active OAuth token that serves it (own then
 * global; any other status is refused with where to authorize), or the static credentials (the org's own, else the
 * global ones); and those values rendered into the integration's credential_headers.
 */
@Singleton
public class CredentialValues {

    private static final String CALLBACK_PATH = "/v1/oauth/callback";

    private final StateReader state;
    private final SecretBox box;
    private final OAuthFlows flows;
    private final OAuthMaterial material;
    private final Clock clock;

    public CredentialValues(StateReader state, SecretBox box, OAuthFlows flows, OAuthMaterial material, Clock clock) {
        this.state = state;
        this.box = box;
        this.flows = flows;
        this.material = material;
        this.clock = clock;
    }

    /** The org's credential values by field (access_token and expires_at for OAuth); fails 409 not-authorized. */
    public Mono<Map<String, String>> of(
            HttpRequest<?> request, IntegrationState integration, Optional<MappingState> mapping, String orgId) {
        String name = integration.getName();
        if (integration.getAuthScheme() == AuthScheme.OAUTH1) {
            return active(request, integration, mapping, orgId).map(m -> {
                var token = m.token().orElseThrow();
                Map<String, String> values = new LinkedHashMap<>();
                values.put(
                        "oauth_token", box.open(token.getAccessToken(), SecretPlaces.accessToken(token.getTokenId())));
                values.put(
                        "oauth_token_secret",
                        box.open(token.getTokenSecret(), SecretPlaces.tokenSecret(token.getTokenId())));
                values.put("consumer_key", m.connection().getClientId());
                values.put("signature_method", ConnectionJson.signatureName(m.connection()));
                return values;
            });
        }
        if (integration.getAuthScheme() == AuthScheme.OAUTH2) {
            return material.find(request, integration, mapping, orgId).map(found -> {
                var m = found.orElseThrow(
                        () -> notAuthorized("integration '" + name + "' has no OAuth connection", null));
                TokenStatus status = m.status(clock.instant());
                if (status != TokenStatus.ACTIVE) {
                    throw notAuthorized(
                            "the OAuth token is " + status.value() + ": POST authorize_url to start an authorization",
                            authorizeUrl(m, name, orgId));
                }
                var token = m.token().orElseThrow();
                Map<String, String> values = new LinkedHashMap<>();
                values.put(
                        "access_token", box.open(token.getAccessToken(), SecretPlaces.accessToken(token.getTokenId())));
                values.put(
                        "expires_at",
                        token.getExpiresAt() == null
                                ? null
                                : token.getExpiresAt().toString());
                return values;
            });
        }
        return credentials(name, CredentialsChoice.candidates(name, orgId)).map(found -> {
            CredentialsState c = found.orElseThrow(() -> notAuthorized("no credentials are set for this org", null));
            Map<String, String> values = new LinkedHashMap<>();
            c.getValues()
                    .forEach((field, value) -> values.put(
                            field,
                            value instanceof SealedSecret sealed
                                    ? box.open(sealed, SecretPlaces.credential(name, c.getOrgId(), field))
                                    : String.valueOf(value)));
            return values;
        });
    }

    /**
     * What serves the org now, as the org's view names it: for OAuth the serving token's status (missing without a
     * connection or a token), for the static schemes active when credentials serve it (its own or the global ones),
     * else missing.
     */
    public Mono<TokenStatus> status(
            HttpRequest<?> request, IntegrationState integration, Optional<MappingState> mapping, String orgId) {
        AuthScheme scheme = integration.getAuthScheme();
        if (scheme == AuthScheme.OAUTH2 || scheme == AuthScheme.OAUTH1) {
            return material.find(request, integration, mapping, orgId)
                    .map(found -> found.map(m -> m.status(clock.instant())).orElse(TokenStatus.MISSING));
        }
        return credentials(integration.getName(), CredentialsChoice.candidates(integration.getName(), orgId))
                .map(found -> found.isPresent() ? TokenStatus.ACTIVE : TokenStatus.MISSING);
    }

    /**
     * The connection and the active OAuth token serving the org; fails 409 not-authorized (with where to connect)
     * when there is none or it cannot be used.
     */
    public Mono<OAuthMaterial.Material> active(
            HttpRequest<?> request, IntegrationState integration, Optional<MappingState> mapping, String orgId) {
        String name = integration.getName();
        return material.find(request, integration, mapping, orgId).map(found -> {
            var m = found.orElseThrow(() -> notAuthorized("integration '" + name + "' has no OAuth connection", null));
            TokenStatus status = m.status(clock.instant());
            if (status != TokenStatus.ACTIVE || m.token().isEmpty()) {
                throw notAuthorized(
                        "the OAuth token is " + status.value() + ": POST authorize_url to start an authorization",
                        authorizeUrl(m, name, orgId));
            }
            return m;
        });
    }

    /**
     * The integration's credential_headers filled from the credential values and the org's config (defaults overlaid
     * by its overrides, secrets opened); fails 409 key-not-found naming a key that has no value.
     */
    public Map<String, String> headers(
            IntegrationState integration, Optional<MappingState> mapping, Map<String, String> values) {
        Map<String, String> known = new LinkedHashMap<>(configStrings(integration, mapping));
        known.putAll(values);
        var rendered = HeaderTemplates.render(integration.getCredentialHeaders(), known);
        rendered.missingKey().ifPresent(key -> {
            throw new ProblemException(
                    409,
                    "key-not-found",
                    "Conflict",
                    "credential_headers names '" + key + "', which is not set",
                    List.of(),
                    Map.of("key", key));
        });
        return rendered.headers();
    }

    /** 409 not-authorized, with where to authorize when there is such a place. */
    public static ProblemException notAuthorized(String detail, String authorizeUrl) {
        Map<String, Object> members =
                authorizeUrl == null || authorizeUrl.isEmpty() ? Map.of() : Map.of("authorize_url", authorizeUrl);
        return new ProblemException(409, "not-authorized", "Conflict", detail, List.of(), members);
    }

    /**
     * Where to authorize: this hub's connect endpoint, which starts the flow on a write. A read mints no state (it
     * would append an authorization per call), and a pending one cannot be offered again: only its state's hash is
     * kept, so its provider URL cannot be rebuilt.
     */
    private String authorizeUrl(OAuthMaterial.Material m, String name, String orgId) {
        if (m.connection().getGrantType() == GrantType.CLIENT_CREDENTIALS) return "";
        String callback = flows.redirectUri();
        String base = callback.endsWith(CALLBACK_PATH)
                ? callback.substring(0, callback.length() - CALLBACK_PATH.length())
                : "";
        return base + "/v1/orgs/" + orgId + "/integrations/" + name + "/connect";
    }

    private Mono<Optional<CredentialsState>> credentials(String name, List<String> keys) {
        if (keys.isEmpty()) return Mono.just(Optional.empty());
        return state.<CredentialsState>get(StoreNames.CREDENTIALS, name, keys.get(0))
                .flatMap(found ->
                        found.isPresent() ? Mono.just(found) : credentials(name, keys.subList(1, keys.size())));
    }

    private Map<String, String> configStrings(IntegrationState integration, Optional<MappingState> mapping) {
        Map<String, Object> merged = MergedConfig.merge(
                integration.getDefaults(), mapping.map(MappingState::getConfig).orElse(Map.of()));
        Map<String, String> strings = new LinkedHashMap<>();
        ConfigJson.toJson(
                        merged,
                        true,
                        box,
                        key -> mapping.isPresent() && mapping.get().getConfig().containsKey(key)
                                ? SecretPlaces.mappingOverride(
                                        integration.getName(), mapping.get().getOrgId(), key)
                                : SecretPlaces.integrationDefault(integration.getName(), key))
                .fields()
                .forEachRemaining(e -> strings.put(
                        e.getKey(),
                        e.getValue().isTextual()
                                ? e.getValue().asText()
                                : e.getValue().toString()));
        return strings;
    }
}
