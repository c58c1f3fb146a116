package com.integrationshub.query.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.commands.SetCredentials;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.domain.credentials.CredentialsDecider;
import com.integrationshub.domain.config.MergedConfig;
import com.integrationshub.query.http.CommandResponder;
import com.integrationshub.query.http.Responses;
import com.integrationshub.query.http.StateReader;
import com.integrationshub.query.http.WriteRequests;
import com.integrationshub.query.json.ConfigJson;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.oauth.OAuthFlows;
import com.integrationshub.query.oauth.OAuthMaterial;
import com.integrationshub.query.oauth.TokenRefreshes;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.problem.ProblemResponses;
import com.integrationshub.query.streams.StoreNames;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.CredentialsState;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/** An org's credentials for an integration: connect (any scheme), read them to call the API, refresh OAuth now. */
@Controller("/v1/orgs/{org_id}/integrations/{name}")
@Consumes(MediaType.ALL)
public class CredentialsController {

    private static final String CALLBACK_PATH = "/v1/oauth/callback";
    private static final Pattern TEMPLATE_KEY = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");

    private final StateReader state;
    private final CommandResponder commands;
    private final SecretBox box;
    private final OAuthFlows flows;
    private final OAuthMaterial material;
    private final TokenRefreshes refreshes;
    private final Duration retryAfter;

    public CredentialsController(StateReader state, CommandResponder commands, SecretBox box, OAuthFlows flows,
                                 OAuthMaterial material, TokenRefreshes refreshes,
                                 @Value("${hub.commands.retry-after}") Duration retryAfter) {
        this.state = state;
        this.commands = commands;
        this.box = box;
        this.flows = flows;
        this.material = material;
        this.refreshes = refreshes;
        this.retryAfter = retryAfter;
    }

    /** POST .../connect → 201 {"connection_id"} (static schemes) or {"connection_id", "redirect_url"} (OAuth 2.0). */
    @Post("/connect")
    public Publisher<MutableHttpResponse<?>> connect(HttpRequest<?> request, @PathVariable("org_id") String orgId,
                                                     @PathVariable String name, @Nullable @Body String body) {
        WriteRequests.name("org_id", orgId);
        WriteRequests.name("name", name);
        JsonBody json = JsonBody.parse(body).allowOnly(Set.of("auth_scheme", "data"));
        AuthScheme scheme = readScheme(json);
        ObjectNode data = json.optionalObject("data").orElseGet(() -> JsonBody.mapper().createObjectNode());
        json.throwIfInvalid();
        return integration(name).flatMap(integration -> {
            if (integration.getAuthScheme() != scheme) {
                throw ProblemException.invalid("auth_scheme", "integration '" + name + "' uses " + integration.getAuthScheme());
            }
            if (scheme == AuthScheme.OAUTH1) {
                throw ProblemException.invalid("auth_scheme", "OAUTH1 is not supported by this service");
            }
            if (scheme == AuthScheme.OAUTH2) {
                if (integration.getOauthConnection() == null) {
                    throw ProblemException.invalid("auth_scheme", "integration '" + name + "' has no oauth_connection");
                }
                return mapping(name, orgId).flatMap(mapping -> flows.connect(request, integration.getOauthConnection(),
                        name, orgId, mapping.map(MappingState::getEntityId).orElse(null)));
            }
            return setStatic(request, name, orgId, scheme, data, json, body);
        }).onErrorResume(e -> Mono.<MutableHttpResponse<?>>just(ProblemResponses.fromFailure(e, retryAfter)));
    }

    /** GET .../credentials → the values to call the API with (reveals secrets), or the rendered credential headers. */
    @Get("/credentials")
    public Publisher<MutableHttpResponse<?>> credentials(HttpRequest<?> request, @PathVariable("org_id") String orgId,
                                                         @PathVariable String name) {
        WriteRequests.name("org_id", orgId);
        WriteRequests.name("name", name);
        return integration(name).flatMap(integration -> mapping(name, orgId).flatMap(mapping ->
                        values(request, integration, mapping, orgId).<MutableHttpResponse<?>>map(values -> {
                            ObjectNode out = JsonBody.mapper().createObjectNode();
                            if (integration.getCredentialHeaders().isEmpty()) {
                                values.forEach(out::put);
                            } else {
                                Map<String, String> known = new LinkedHashMap<>(configStrings(integration, mapping));
                                known.putAll(values);
                                integration.getCredentialHeaders().forEach((header, template) ->
                                        out.put(header, render(template, known)));
                            }
                            return Responses.ok(out);
                        })))
                .onErrorResume(e -> Mono.<MutableHttpResponse<?>>just(ProblemResponses.fromFailure(e, retryAfter)));
    }

    /** POST .../refresh → 200 with the new expires_at, or 409 needs_reauth. */
    @Post("/refresh")
    public Publisher<MutableHttpResponse<?>> refresh(HttpRequest<?> request, @PathVariable("org_id") String orgId,
                                                     @PathVariable String name) {
        WriteRequests.name("org_id", orgId);
        WriteRequests.name("name", name);
        return integration(name).flatMap(integration -> mapping(name, orgId).flatMap(mapping ->
                        material.find(request, integration, mapping, orgId)))
                .flatMap(found -> {
                    var token = found.flatMap(OAuthMaterial.Material::token)
                            .orElseThrow(() -> notAuthorized("there is no OAuth token to refresh: connect first", null));
                    return refreshes.refreshNow(request, token).flatMap(outcome -> {
                        if (!outcome.getAccepted()) throw TokenRefreshes.failure(outcome);
                        return state.<com.integrationshub.state.TokenState>get(StoreNames.TOKENS,
                                token.getConnectionName(), token.getTokenId());
                    });
                })
                .<MutableHttpResponse<?>>map(token -> {
                    ObjectNode out = JsonBody.mapper().createObjectNode();
                    out.put("expires_at", token.map(t -> t.getExpiresAt() == null ? null : t.getExpiresAt().toString()).orElse(null));
                    out.put("status", OAuthMaterial.ACTIVE);
                    return Responses.ok(out);
                })
                .onErrorResume(e -> Mono.<MutableHttpResponse<?>>just(ProblemResponses.fromFailure(e, retryAfter)));
    }

    private Mono<Map<String, String>> values(HttpRequest<?> request, IntegrationState integration,
                                             Optional<MappingState> mapping, String orgId) {
        String name = integration.getName();
        if (integration.getAuthScheme() == AuthScheme.OAUTH2) {
            return material.find(request, integration, mapping, orgId).flatMap(found -> {
                var m = found.orElseThrow(() -> notAuthorized("integration '" + name + "' has no OAuth connection", null));
                String status = m.status(Instant.now());
                if (!OAuthMaterial.ACTIVE.equals(status)) {
                    throw notAuthorized("the OAuth token is " + status + ": POST authorize_url to start an authorization",
                            authorizeUrl(m, name, orgId));
                }
                var token = m.token().orElseThrow();
                Map<String, String> values = new LinkedHashMap<>();
                values.put("access_token", box.open(token.getAccessToken(), SecretPlaces.accessToken(token.getTokenId())));
                values.put("expires_at", token.getExpiresAt() == null ? null : token.getExpiresAt().toString());
                return Mono.just(values);
            });
        }
        return credentials(name, orgId).map(found -> {
            CredentialsState c = found.orElseThrow(() -> notAuthorized("no credentials are set for this org", null));
            Map<String, String> values = new LinkedHashMap<>();
            c.getValues().forEach((field, value) -> values.put(field, value instanceof SealedSecret sealed
                    ? box.open(sealed, SecretPlaces.credential(name, c.getOrgId(), field)) : String.valueOf(value)));
            return values;
        });
    }

    /**
     * Where to authorize: this hub's connect endpoint, which starts the flow on a write. A read mints no state (it
     * would append an authorization per call), and a pending one cannot be offered again: only its state's hash is
     * kept, so its provider URL cannot be rebuilt.
     */
    private String authorizeUrl(OAuthMaterial.Material m, String name, String orgId) {
        if (m.connection().getGrantType() != com.integrationshub.common.GrantType.AUTHORIZATION_CODE) return "";
        String callback = flows.redirectUri();
        String base = callback.endsWith(CALLBACK_PATH) ? callback.substring(0, callback.length() - CALLBACK_PATH.length()) : "";
        return base + "/v1/orgs/" + orgId + "/integrations/" + name + "/connect";
    }

    private Mono<MutableHttpResponse<?>> setStatic(HttpRequest<?> request, String name, String orgId, AuthScheme scheme,
                                                   ObjectNode data, JsonBody json, String body) {
        Map<String, Boolean> fields = CredentialsDecider.FIELDS.get(scheme);
        Map<String, Object> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = data.fields();
        while (it.hasNext()) {
            var e = it.next();
            Boolean secret = fields.get(e.getKey());
            if (secret == null) {
                json.error("data." + e.getKey(), "unknown field for " + scheme);
            } else if (!e.getValue().isTextual() || e.getValue().asText().isEmpty()) {
                json.error("data." + e.getKey(), "must be a non-empty string");
            } else {
                values.put(e.getKey(), secret ? box.seal(e.getValue().asText(), SecretPlaces.credential(name, orgId, e.getKey()))
                        : e.getValue().asText());
            }
        }
        fields.keySet().stream().filter(f -> !data.has(f)).forEach(f -> json.error("data." + f, "is required for " + scheme));
        json.throwIfInvalid();
        String commandId = WriteRequests.commandId(request, SetCredentials.class,
                Names.mappingAggregate(name, orgId) + "/credentials", body);
        String connectionId = UUID.nameUUIDFromBytes(CredentialsDecider.key(name, orgId).getBytes()).toString();
        SetCredentials command = SetCredentials.newBuilder()
                .setCommandId(commandId).setIssuedAt(Instant.now()).setIssuedBy(WriteRequests.issuedBy(request))
                .setConnectionId(connectionId).setIntegrationName(name).setOrgId(orgId).setAuthScheme(scheme)
                .setValues(values).build();
        return Mono.from(commands.execute(name, commandId, command, outcome -> {
            ObjectNode out = JsonBody.mapper().createObjectNode();
            out.put("connection_id", connectionId);
            return Mono.just(Responses.ok(out).status(HttpStatus.CREATED));
        }));
    }

    private Mono<IntegrationState> integration(String name) {
        return state.<IntegrationState>get(StoreNames.INTEGRATIONS, name, name)
                .map(i -> i.orElseThrow(() -> ProblemException.notFound("integration '" + name + "' does not exist")));
    }

    private Mono<Optional<MappingState>> mapping(String name, String orgId) {
        return state.get(StoreNames.MAPPINGS, name, Names.mappingKey(name, orgId));
    }

    private Mono<Optional<CredentialsState>> credentials(String name, String orgId) {
        return state.<CredentialsState>get(StoreNames.CREDENTIALS, name, CredentialsDecider.key(name, orgId))
                .flatMap(own -> own.isPresent() ? Mono.just(own)
                        : state.<CredentialsState>get(StoreNames.CREDENTIALS, name, CredentialsDecider.key(name, null)));
    }

    private Map<String, String> configStrings(IntegrationState integration, Optional<MappingState> mapping) {
        Map<String, Object> merged = MergedConfig.merge(integration.getDefaults(),
                mapping.map(MappingState::getConfig).orElse(Map.of()));
        Map<String, String> strings = new LinkedHashMap<>();
        ConfigJson.toJson(merged, true, box, key -> mapping.isPresent() && mapping.get().getConfig().containsKey(key)
                        ? SecretPlaces.mappingOverride(integration.getName(), mapping.get().getOrgId(), key)
                        : SecretPlaces.integrationDefault(integration.getName(), key))
                .fields().forEachRemaining(e -> strings.put(e.getKey(),
                        e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        return strings;
    }

    private static String render(String template, Map<String, String> values) {
        Matcher m = TEMPLATE_KEY.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new ProblemException(409, "key-not-found", "Conflict",
                        "credential_headers names '" + m.group(1) + "', which is not set", List.of(), Map.of("key", m.group(1)));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static ProblemException notAuthorized(String detail, String authorizeUrl) {
        Map<String, Object> members = authorizeUrl == null || authorizeUrl.isEmpty() ? Map.of() : Map.of("authorize_url", authorizeUrl);
        return new ProblemException(409, "not-authorized", "Conflict", detail, List.of(), members);
    }

    private static AuthScheme readScheme(JsonBody json) {
        String value = json.requiredString("auth_scheme");
        if (value == null) return null;
        for (AuthScheme s : AuthScheme.values()) if (s.name().equals(value)) return s;
        json.error("auth_scheme", "must be one of OAUTH2, OAUTH1, API_KEY, BEARER_TOKEN, BASIC, NO_AUTH");
        return null;
    }
}
