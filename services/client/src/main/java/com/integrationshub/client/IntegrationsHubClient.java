package com.integrationshub.client;

import com.integrationshub.client.internal.ClientContext;
import com.integrationshub.client.internal.HubHttpApi;
import com.integrationshub.client.internal.ProblemDecoder;
import com.integrationshub.client.internal.SignRequest;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The caller's client of the Integrations Hub HTTP API (v1): the org's view of an integration, an integration's org
 * mappings, an org's credentials for an integration, and the signature of an OAuth 1.0a request.
 *
 * <p>Outside Micronaut, make one with {@link #create(String, Supplier)} and close it when done; it runs its own small
 * Micronaut context. In a Micronaut application, set {@code micronaut.http.services.integrations-hub.url}, provide a
 * {@link BearerTokenSource} bean, and inject this class.
 *
 * <p>Every method has an {@code ...Async} variant whose future fails with the same exceptions the blocking one
 * throws: an {@link IntegrationsHubException} subclass when the hub answers with a problem, a
 * {@link HubCommunicationException} when no usable answer came. Instances are thread-safe.
 */
@Singleton
@Requires(property = "micronaut.http.services." + HubHttpApi.SERVICE_ID + ".url")
public final class IntegrationsHubClient implements AutoCloseable {

    /** How long a request may wait for its answer unless told otherwise; writes wait up to 10 s for a decision. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    private final HubHttpApi api;
    private final JsonMapper json;
    private final ProblemDecoder problems;
    private final Optional<ApplicationContext> ownContext;

    /** The client of a Micronaut application, on its context's HTTP client. */
    @Inject
    IntegrationsHubClient(HubHttpApi api, JsonMapper json) {
        this(api, json, Optional.empty());
    }

    private IntegrationsHubClient(HubHttpApi api, JsonMapper json, Optional<ApplicationContext> ownContext) {
        this.api = api;
        this.json = json;
        this.problems = new ProblemDecoder(json);
        this.ownContext = ownContext;
    }

    /**
     * Returns a client of the hub at {@code baseUrl} (e.g. {@code http://127.0.0.1:8080}) that sends the token the
     * supplier gives at each request (asked every time, so it may rotate).
     */
    public static IntegrationsHubClient create(String baseUrl, Supplier<String> bearerToken) {
        return create(baseUrl, bearerToken, DEFAULT_READ_TIMEOUT);
    }

    /** Returns a client like {@link #create(String, Supplier)} that waits at most {@code readTimeout} for an answer. */
    public static IntegrationsHubClient create(String baseUrl, Supplier<String> bearerToken, Duration readTimeout) {
        Objects.requireNonNull(bearerToken, "bearerToken");
        URI url = URI.create(Objects.requireNonNull(baseUrl, "baseUrl"));
        if (url.getScheme() == null || url.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL, got: " + baseUrl);
        }
        String prefix = "micronaut.http.services." + HubHttpApi.SERVICE_ID + ".";
        ApplicationContext context = ClientContext.start(
                Map.of(prefix + "url", baseUrl, prefix + "read-timeout", readTimeout.toMillis() + "ms"),
                bearerToken::get);
        try {
            return new IntegrationsHubClient(
                    context.getBean(HubHttpApi.class), context.getBean(JsonMapper.class), Optional.of(context));
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** Returns the org's view of the integration (secrets in clear); {@link NotFoundException} if it does not exist. */
    public IntegrationData get(String name, String orgId) {
        return await(getAsync(name, orgId));
    }

    /** Returns the org's view of the integration, when it arrives. */
    public CompletableFuture<IntegrationData> getAsync(String name, String orgId) {
        return read(() -> api.orgView(orgId, name));
    }

    /** Returns the global scope's view of the integration (admin token; secrets in clear). */
    public IntegrationData getGlobal(String name) {
        return await(getGlobalAsync(name));
    }

    /** Returns the global scope's view of the integration, when it arrives. */
    public CompletableFuture<IntegrationData> getGlobalAsync(String name) {
        return read(() -> api.globalView(name));
    }

    /** Returns the org's view of every integration mapped to the org, by name. */
    public List<IntegrationData> listOrgIntegrations(String orgId) {
        return await(listOrgIntegrationsAsync(orgId));
    }

    /** Returns the org's view of every integration mapped to the org, when it arrives. */
    public CompletableFuture<List<IntegrationData>> listOrgIntegrationsAsync(String orgId) {
        return read(() -> api.orgViews(orgId));
    }

    /** Returns every mapping of the integration (admin token). */
    public List<IntegrationMapping> listMappings(String name) {
        return await(listMappingsAsync(name));
    }

    /** Returns every mapping of the integration, when it arrives. */
    public CompletableFuture<List<IntegrationMapping>> listMappingsAsync(String name) {
        return read(() -> api.mappings(name, null));
    }

    /** Returns the integration's mappings of that entity (admin token); several orgs may map one entity. */
    public List<IntegrationMapping> listMappings(String name, String entityId) {
        return await(listMappingsAsync(name, entityId));
    }

    /** Returns the integration's mappings of that entity, when they arrive. */
    public CompletableFuture<List<IntegrationMapping>> listMappingsAsync(String name, String entityId) {
        Objects.requireNonNull(entityId, "entityId");
        return read(() -> api.mappings(name, entityId));
    }

    /** Returns the org's mapping (admin token); {@link NotFoundException} if the integration or mapping is missing. */
    public IntegrationMapping getMapping(String name, String orgId) {
        return await(getMappingAsync(name, orgId));
    }

    /** Returns the org's mapping, when it arrives. */
    public CompletableFuture<IntegrationMapping> getMappingAsync(String name, String orgId) {
        return read(() -> api.mapping(name, orgId));
    }

    /**
     * Returns the mapping of that entity, empty when no org maps it. When several orgs map the same entity, the one
     * with the smallest {@code organization_id}; {@link #listMappings(String, String)} returns them all.
     */
    public Optional<IntegrationMapping> getMappingByEntityId(String name, String entityId) {
        return await(getMappingByEntityIdAsync(name, entityId));
    }

    /** Returns the mapping of that entity, or empty, when it arrives. */
    public CompletableFuture<Optional<IntegrationMapping>> getMappingByEntityIdAsync(String name, String entityId) {
        return listMappingsAsync(name, entityId)
                .thenApply(found -> found.stream()
                        .filter(m -> entityId.equals(m.entityId()))
                        .min(Comparator.comparing(IntegrationMapping::organizationId)));
    }

    /** Creates or replaces the org's mapping (admin token) and returns it with whether it was created. */
    public UpsertResult upsertMapping(String name, String orgId, MappingRequest request) {
        return await(upsertMappingAsync(name, orgId, request, WriteOptions.none()));
    }

    /** Like {@link #upsertMapping(String, String, MappingRequest)} with an expected version and/or idempotency key. */
    public UpsertResult upsertMapping(String name, String orgId, MappingRequest request, WriteOptions options) {
        return await(upsertMappingAsync(name, orgId, request, options));
    }

    /** Creates or replaces the org's mapping; the future completes when the write is decided. */
    public CompletableFuture<UpsertResult> upsertMappingAsync(String name, String orgId, MappingRequest request) {
        return upsertMappingAsync(name, orgId, request, WriteOptions.none());
    }

    /** Creates or replaces the org's mapping with these options; the future completes when the write is decided. */
    public CompletableFuture<UpsertResult> upsertMappingAsync(
            String name, String orgId, MappingRequest request, WriteOptions options) {
        Objects.requireNonNull(request, "request");
        String key = idempotencyKey(options);
        return write(
                key,
                () -> api.upsertMapping(name, orgId, request, ifMatch(options), key),
                response -> new UpsertResult(body(response), response.code() == 201));
    }

    /** Deletes the org's mapping (admin token); {@link NotFoundException} if there is none. */
    public void deleteMapping(String name, String orgId) {
        await(deleteMappingAsync(name, orgId, WriteOptions.none()));
    }

    /** Like {@link #deleteMapping(String, String)} with an expected version and/or idempotency key. */
    public void deleteMapping(String name, String orgId, WriteOptions options) {
        await(deleteMappingAsync(name, orgId, options));
    }

    /** Deletes the org's mapping; the future completes when the delete is decided. */
    public CompletableFuture<Void> deleteMappingAsync(String name, String orgId) {
        return deleteMappingAsync(name, orgId, WriteOptions.none());
    }

    /** Deletes the org's mapping with these options; the future completes when the delete is decided. */
    public CompletableFuture<Void> deleteMappingAsync(String name, String orgId, WriteOptions options) {
        String key = idempotencyKey(options);
        return write(key, () -> api.deleteMapping(name, orgId, ifMatch(options), key), response -> null);
    }

    /**
     * Returns what the org calls the integration's API with (reveals secrets): the raw values of its auth scheme, or
     * its {@code credential_headers} rendered.
     *
     * @throws NotAuthorizedException the org has no credentials yet (for OAuth, with the URL a person authorizes at)
     * @throws KeyNotFoundException   a credential header names a key that is not set
     * @throws NotFoundException      the integration does not exist
     */
    public Credentials credentials(String name, String orgId) {
        return await(credentialsAsync(name, orgId));
    }

    /** Returns the org's credentials for the integration, when they arrive; fails as {@link #credentials}. */
    public CompletableFuture<Credentials> credentialsAsync(String name, String orgId) {
        return send(Optional.empty(), () -> api.credentials(orgId, name), response -> credentials(body(response)));
    }

    /**
     * Refreshes the org's OAuth token for the integration now and returns the new token's expiry; empty when the
     * provider gave the token no lifetime. Not idempotent: each call asks the provider for a new token.
     *
     * @throws NotAuthorizedException there is no OAuth token to refresh (nobody connected, or no OAuth connection)
     * @throws NeedsReauthException   the provider refused (e.g. {@code invalid_grant}); a person must connect again
     * @throws NotFoundException      the integration does not exist
     */
    public Optional<Instant> refresh(String name, String orgId) {
        return await(refreshAsync(name, orgId));
    }

    /** Refreshes the org's OAuth token now; the future completes with the new expiry, or fails as {@link #refresh}. */
    public CompletableFuture<Optional<Instant>> refreshAsync(String name, String orgId) {
        return send(
                Optional.empty(),
                () -> api.refresh(orgId, name),
                response -> Optional.ofNullable(body(response).expiresAt()));
    }

    /**
     * Returns the {@code Authorization} header that signs one OAuth 1.0a request of the org to the integration's
     * provider, a request without a form body (RFC 5849: the hub signs with the consumer secret and token secret it
     * keeps). Send the request with exactly this method and URL; each call gets a fresh nonce and timestamp.
     *
     * @param method the request's HTTP method, e.g. {@code GET}
     * @param url    the request's absolute URL, its query included (the query is signed too)
     * @throws NotAuthorizedException the org has no OAuth 1.0a token yet (nobody connected)
     * @throws ForbiddenException     e.g. a {@code PLAINTEXT} signature (it holds the consumer secret) for an org token
     * @throws NotFoundException      the integration does not exist
     */
    public OAuth1Signature sign(String name, String orgId, String method, String url) {
        return await(signAsync(name, orgId, method, url, Map.of()));
    }

    /**
     * Like {@link #sign(String, String, String, String)} for a request with an
     * {@code application/x-www-form-urlencoded} body, whose parameters are signed too: each value is a
     * {@code String}, or a {@code Collection} of them for a repeated key (e.g.
     * {@code Map.of("status", "hi", "tag", List.of("a", "b"))}); an empty collection sends no parameter.
     *
     * @throws IllegalArgumentException a value that is neither a string nor a collection of strings
     */
    public OAuth1Signature sign(String name, String orgId, String method, String url, Map<String, ?> form) {
        return await(signAsync(name, orgId, method, url, form));
    }

    /** Returns the signature of that request, when it arrives; fails as {@link #sign}. */
    public CompletableFuture<OAuth1Signature> signAsync(String name, String orgId, String method, String url) {
        return signAsync(name, orgId, method, url, Map.of());
    }

    /** Returns the signature of that request with form parameters, when it arrives; fails as {@link #sign}. */
    public CompletableFuture<OAuth1Signature> signAsync(
            String name, String orgId, String method, String url, Map<String, ?> form) {
        SignRequest body = new SignRequest(
                Objects.requireNonNull(method, "method"), Objects.requireNonNull(url, "url"), formMembers(form));
        return send(Optional.empty(), () -> api.sign(orgId, name, body), response -> signature(body(response)));
    }

    /** Closes the client's own Micronaut context (its connections and threads); nothing for an injected client. */
    @Override
    public void close() {
        ownContext.ifPresent(ApplicationContext::close);
    }

    private <T> CompletableFuture<T> read(Supplier<CompletableFuture<HttpResponse<T>>> call) {
        return send(Optional.empty(), call, IntegrationsHubClient::body);
    }

    private <R, T> CompletableFuture<T> write(
            String key, Supplier<CompletableFuture<HttpResponse<R>>> call, Function<HttpResponse<R>, T> result) {
        return send(Optional.of(key), call, result);
    }

    private <R, T> CompletableFuture<T> send(
            Optional<String> key,
            Supplier<CompletableFuture<HttpResponse<R>>> call,
            Function<HttpResponse<R>, T> result) {
        CompletableFuture<HttpResponse<R>> sent;
        try {
            sent = call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(problems.decode(e, key));
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        sent.whenComplete((response, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(problems.decode(failure, key));
            } else if (response.code() >= 400) {
                answer.completeExceptionally(problems.fromResponse(response, key));
            } else {
                try {
                    answer.complete(result.apply(response));
                } catch (RuntimeException e) {
                    answer.completeExceptionally(problems.decode(e, key));
                }
            }
        });
        return answer;
    }

    private static <T> T body(HttpResponse<T> response) {
        return response.getBody()
                .orElseThrow(() -> new HubCommunicationException(
                        "the integrations hub answered " + response.code() + " without the expected body", null));
    }

    /** The credentials object with each member as text: strings as they are, other JSON values as JSON. */
    private Credentials credentials(Map<String, Object> members) {
        Map<String, String> values = new LinkedHashMap<>();
        members.forEach((member, value) -> {
            if (value instanceof String text) {
                values.put(member, text);
            } else if (value != null) {
                try {
                    values.put(member, new String(json.writeValueAsBytes(value), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new HubCommunicationException("cannot read the credentials member '" + member + "'", e);
                }
            }
        });
        return new Credentials(values);
    }

    /** The form as the JSON the hub reads: a string per key, or a list for a repeated key; null when empty. */
    private static Map<String, Object> formMembers(Map<String, ?> form) {
        Objects.requireNonNull(form, "form");
        Map<String, Object> members = new LinkedHashMap<>();
        form.forEach((key, value) -> {
            Objects.requireNonNull(key, "form key");
            if (value instanceof String text) {
                members.put(key, text);
            } else if (value instanceof Collection<?> values) {
                List<String> texts = new ArrayList<>();
                for (Object each : values) {
                    if (!(each instanceof String text)) {
                        throw new IllegalArgumentException("form '" + key + "' holds a value that is not a string");
                    }
                    texts.add(text);
                }
                if (texts.size() == 1) members.put(key, texts.get(0));
                else if (!texts.isEmpty()) members.put(key, texts);
            } else {
                throw new IllegalArgumentException(
                        "form '" + key + "' must be a string or a collection of strings, not "
                                + (value == null ? "null" : value.getClass().getName()));
            }
        });
        return members.isEmpty() ? null : members;
    }

    private OAuth1Signature signature(Map<String, Object> members) {
        OAuth1Signature signature = new OAuth1Signature(credentials(members).values());
        if (signature.authorization().isEmpty()) {
            throw new HubCommunicationException("the integrations hub's signature has no Authorization header", null);
        }
        return signature;
    }

    private static String ifMatch(WriteOptions options) {
        return options.expectedVersion().isPresent()
                ? "\"" + options.expectedVersion().getAsLong() + "\""
                : null;
    }

    private static String idempotencyKey(WriteOptions options) {
        return Objects.requireNonNull(options, "options")
                .idempotencyKey()
                .orElseGet(() -> UUID.randomUUID().toString());
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new HubCommunicationException("the request to the integrations hub failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new HubCommunicationException("interrupted while waiting for the integrations hub", e);
        }
    }
}
